package io.taskstream.audit;

import io.micrometer.core.instrument.MeterRegistry;
import io.taskstream.events.EventMetrics;
import io.taskstream.events.EventSubscription;
import io.taskstream.events.Inboxes;
import io.taskstream.events.TaskEventSubscription;
import io.taskstream.platform.ConditionalOnRole;
import io.taskstream.platform.RoleSchemas;
import io.taskstream.platform.SseHub;
import io.taskstream.platform.SseProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The {@code audit} role, present only when {@code taskstream.roles} includes it. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole("audit")
class AuditConfiguration {

	@Bean(destroyMethod = "close")
	SseHub<EventStore.StoredEvent> eventTail(MeterRegistry registry, SseProperties properties, JdbcClient jdbc) {
		return new SseHub<>("event", EventStore.StoredEvent::position, properties.heartbeat(), registry, jdbc);
	}

	@Bean
	EventStore eventStore(JdbcClient jdbc, SseHub<EventStore.StoredEvent> eventTail, RoleSchemas schemas) {
		return new EventStore(jdbc, eventTail);
	}

	@Bean
	DeadLetterStore deadLetterStore(JdbcClient jdbc, RoleSchemas schemas) {
		return new DeadLetterStore(jdbc);
	}

	@Bean
	EventHistory eventHistory(JdbcClient jdbc, RoleSchemas schemas) {
		return new EventHistory(jdbc);
	}

	@Bean
	EventSubscription auditTaskEvents(EventMetrics metrics, EventStore store, Inboxes inboxes) {
		return new TaskEventSubscription("audit", inboxes.eventStore("audit", store::append), metrics);
	}

	@Bean
	EventSubscription auditDeadLetters(JdbcClient jdbc, EventMetrics metrics, RoleSchemas schemas) {
		return new DeadLetters(jdbc, metrics);
	}

}
