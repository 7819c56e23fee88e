package io.taskstream.tools.chaos;

import java.nio.file.Path;

/**
 * How the build runs a reliability scenario: through {@code scripts/chaos}' runner, from
 * the project's directory, its stack stopped at the end, at 30 writes/s (half of
 * {@code scripts/chaos}', for a small CI machine). The table in docs/reliability.md is
 * only written by {@code scripts/chaos} itself.
 */
final class InTheBuild {

	static final double WRITES_PER_SECOND = 30;

	private InTheBuild() {
	}

	static ChaosResult run(ChaosScenario scenario) throws Exception {
		return new Chaos(Path.of("").toAbsolutePath(), false, WRITES_PER_SECOND).run(scenario);
	}

}
