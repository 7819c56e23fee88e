package io.taskstream.audit;

import io.micrometer.core.instrument.MeterRegistry;
import io.taskstream.events.Subscriber;
import io.taskstream.platform.ConditionalOnRole;
import io.taskstream.platform.RoleSchemas;
import io.taskstream.platform.SseHub;
import io.taskstream.platform.SseProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code audit} role, present only when {@code taskstream.roles} includes it.
 * <p>
 * Created only once the role schemas are migrated ({@code @DependsOn}): its beans use the
 * tables Flyway creates, and no bean takes {@link RoleSchemas} to order them.
 */
@Configuration(proxyBeanMethods = false)
@DependsOn(RoleSchemas.BEAN)
@ConditionalOnRole("audit")
class AuditConfiguration {

	@Bean(destroyMethod = "close")
	SseHub<EventStore.StoredEvent> eventTail(MeterRegistry registry, SseProperties properties, JdbcClient jdbc) {
		return new SseHub<>("event", EventStore.StoredEvent::position, properties.heartbeat(), registry, jdbc);
	}

	@Bean
	EventStore eventStore(JdbcClient jdbc, SseHub<EventStore.StoredEvent> eventTail) {
		return new EventStore(jdbc, eventTail);
	}

	@Bean
	DeadLetters deadLetters(JdbcClient jdbc) {
		return new DeadLetters(jdbc);
	}

	@Bean
	DeadLetterStore deadLetterStore(JdbcClient jdbc) {
		return new DeadLetterStore(jdbc);
	}

	@Bean
	EventHistory eventHistory(JdbcClient jdbc) {
		return new EventHistory(jdbc);
	}

	/** Audit keeps every event, however late, and the dead letters. */
	@Bean
	Subscriber auditSubscriber(EventStore store, DeadLetters deadLetters) {
		return Subscriber.eventStore("audit", store::append).withDeadLetters(deadLetters);
	}

}
