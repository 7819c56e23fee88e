package io.taskstream.platform;

import io.taskstream.TaskstreamApplication;
import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;

/**
 * Each direct sub-package of {@code io.taskstream} is a module; its root package is its
 * API and anything deeper is internal. This fails if one module reaches into another's
 * internals or the modules form a cycle.
 */
class ModuleStructureTests {

	@Test
	void modulesOnlyUseEachOthersPublicApi() {
		ApplicationModules.of(TaskstreamApplication.class).verify();
	}

}
