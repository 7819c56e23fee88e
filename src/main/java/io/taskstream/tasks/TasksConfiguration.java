package io.taskstream.tasks;

import io.taskstream.events.Outbox;
import io.taskstream.platform.ConditionalOnRole;
import io.taskstream.platform.RoleSchemas;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code tasks} role, present only when {@code taskstream.roles} includes it.
 * <p>
 * Created only once the role schemas are migrated ({@code @DependsOn}): its beans use the
 * tables Flyway creates, and no bean takes {@link RoleSchemas} to order them.
 */
@Configuration(proxyBeanMethods = false)
@DependsOn(RoleSchemas.BEAN)
@ConditionalOnRole("tasks")
class TasksConfiguration {

	@Bean
	TaskRepository taskRepository(JdbcClient jdbc) {
		return new TaskRepository(jdbc);
	}

	@Bean
	TaskService taskService(TaskRepository tasks, Outbox outbox) {
		return new TaskService(tasks, outbox);
	}

}
