package io.taskstream.platform;

import javax.sql.DataSource;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.boot.jdbc.health.DataSourceHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DatabaseProperties.class)
class SchemaConfiguration {

	/** Static: a post-processor must exist before the data source it configures. */
	@Bean
	static StatementTimeout statementTimeout(Environment environment) {
		return new StatementTimeout(
				Binder.get(environment).bindOrCreate("taskstream.database", DatabaseProperties.class));
	}

	/** Static for the same reason. */
	@Bean
	static FailFastPool failFastPool(Environment environment) {
		return new FailFastPool(Binder.get(environment).bindOrCreate("taskstream.database", DatabaseProperties.class));
	}

	/**
	 * The line in front of the pool ({@link FairConnectionGate}): callers waiting in it
	 * now, and waits that timed out. Hikari's {@code hikaricp.connections.pending} and
	 * {@code .timeout} never see them.
	 */
	@Bean
	MeterBinder connectionLineMetrics(DataSource dataSource) {
		return (registry) -> {
			FairConnectionGate gate = DataSourceUnwrapper.unwrap(dataSource, FairConnectionGate.class);
			if (gate == null) {
				return;
			}
			Gauge.builder("taskstream.database.connections.waiting", gate, FairConnectionGate::waiting)
				.description("callers in line for a pooled connection")
				.register(registry);
			FunctionCounter.builder("taskstream.database.connections.timeouts", gate, FairConnectionGate::timedOut)
				.description("waits in line for a pooled connection that timed out")
				.register(registry);
		};
	}

	/**
	 * Readiness's {@code db}, in place of Spring Boot's (which waits in the pool's line):
	 * see {@link DatabaseHealthIndicator}. Without a Hikari pool (none here), Boot's.
	 */
	@Bean("dbHealthIndicator")
	HealthIndicator dbHealthIndicator(DataSource dataSource, DatabaseProperties properties) {
		HikariDataSource pool = DataSourceUnwrapper.unwrap(dataSource, HikariDataSource.class);
		if (pool == null || pool.getJdbcUrl() == null) {
			return new DataSourceHealthIndicator(dataSource);
		}
		return new DatabaseHealthIndicator(pool, properties.healthTimeout());
	}

	@Bean(RoleSchemas.BEAN)
	RoleSchemas roleSchemas(DataSource dataSource, TaskstreamProperties properties) {
		return RoleSchemas.migrate(dataSource, properties.roles());
	}

}
