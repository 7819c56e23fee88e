package io.taskstream.platform;

import java.util.Arrays;
import java.util.List;

import io.taskstream.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every configuration of a role, and the events module's that use the roles' tables, is
 * created after the schemas are migrated: it says so with {@code @DependsOn}, since no
 * bean takes {@link RoleSchemas}.
 */
@IntegrationTest
class RoleSchemasFirstIntegrationTests {

	@Autowired
	ConfigurableListableBeanFactory beans;

	@Test
	void everyConfigurationThatUsesTheRolesTablesDependsOnTheMigrations() {
		List<String> configurations = Arrays.stream(this.beans.getBeanDefinitionNames())
			.filter((name) -> usesRoleTables(this.beans.getBeanDefinition(name)))
			.toList();

		assertThat(configurations).hasSize(6)
			.allSatisfy((name) -> assertThat(this.beans.getBeanDefinition(name).getDependsOn()).as(name)
				.contains(RoleSchemas.BEAN));
	}

	private boolean usesRoleTables(BeanDefinition definition) {
		String type = definition.getBeanClassName();
		if (type == null || !type.matches("io\\.taskstream\\.(tasks|analytics|audit|notifications|events\\.outbox"
				+ "|events\\.inbox)\\.[A-Za-z]+")) {
			return false;
		}
		try {
			return Class.forName(type).isAnnotationPresent(Configuration.class);
		}
		catch (ClassNotFoundException ex) {
			return false;
		}
	}

}
