package io.taskstream.platform;

import javax.sql.DataSource;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
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

	@Bean(RoleSchemas.BEAN)
	RoleSchemas roleSchemas(DataSource dataSource, TaskstreamProperties properties) {
		return RoleSchemas.migrate(dataSource, properties.roles());
	}

}
