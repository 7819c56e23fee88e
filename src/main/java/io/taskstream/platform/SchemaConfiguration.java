package io.taskstream.platform;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SchemaConfiguration {

	@Bean(RoleSchemas.BEAN)
	RoleSchemas roleSchemas(DataSource dataSource, TaskstreamProperties properties) {
		return RoleSchemas.migrate(dataSource, properties.roles());
	}

}
