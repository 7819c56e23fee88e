package io.taskstream.audit;

import io.taskstream.events.EventSubscription;
import io.taskstream.events.TaskEventSubscription;
import io.taskstream.platform.ConditionalOnRole;
import io.taskstream.platform.RoleSchemas;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The {@code audit} role, present only when {@code taskstream.roles} includes it. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole("audit")
class AuditConfiguration {

	@Bean
	EventStore eventStore(JdbcClient jdbc, RoleSchemas schemas) {
		return new EventStore(jdbc);
	}

	@Bean
	EventSubscription auditTaskEvents(EventStore store) {
		return new TaskEventSubscription("audit", store::append);
	}

	@Bean
	EventSubscription auditDeadLetters(JdbcClient jdbc, RoleSchemas schemas) {
		return new DeadLetters(jdbc);
	}

}
