package io.taskstream.tasks;

import io.taskstream.events.Outbox;
import io.taskstream.platform.ConditionalOnRole;
import io.taskstream.platform.RoleSchemas;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The {@code tasks} role, present only when {@code taskstream.roles} includes it. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole("tasks")
class TasksConfiguration {

	@Bean
	TaskRepository taskRepository(JdbcClient jdbc, RoleSchemas schemas) {
		return new TaskRepository(jdbc);
	}

	@Bean
	TaskService taskService(TaskRepository tasks, Outbox outbox) {
		return new TaskService(tasks, outbox);
	}

}
