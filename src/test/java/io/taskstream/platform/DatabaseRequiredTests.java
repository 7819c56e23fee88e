package io.taskstream.platform;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseRequiredTests {

	final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(DatabaseRequiredConfiguration.class);

	@Test
	void aRoleInDaprModeWithoutADatabaseUrlStopsNamingTheVariable() {
		this.runner.withPropertyValues("taskstream.events.transport=dapr").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("SPRING_DATASOURCE_URL");
		});
	}

	@Test
	void theProductionJarWithoutADatabaseUrlStopsToo() {
		this.runner.withClassLoader(new FilteredClassLoader("io.zonky")).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("SPRING_DATASOURCE_URL");
		});
	}

	@Test
	void aDatabaseUrlOrTheOneJvmRunNeedsNothingMore() {
		this.runner
			.withPropertyValues("taskstream.events.transport=dapr", "spring.datasource.url=jdbc:postgresql://db/x")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DataSource.class));
		this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DataSource.class));
	}

}
