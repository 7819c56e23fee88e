package io.taskstream.events;

import java.util.List;

import javax.sql.DataSource;

import io.taskstream.platform.ConditionalOnRole;
import io.taskstream.platform.RoleSchemas;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The publishing side, present where the {@code tasks} role runs. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole("tasks")
class EventsConfiguration {

	@Bean
	OutboxSignal outboxSignal() {
		return new OutboxSignal();
	}

	@Bean
	Outbox outbox(JdbcClient jdbc, OutboxSignal signal, RoleSchemas schemas) {
		return new Outbox(jdbc, signal);
	}

	@Bean
	OutboxRelay outboxRelay(DataSource dataSource, JdbcClient jdbc, EventTransport transport, OutboxSignal signal,
			EventsProperties properties, RoleSchemas schemas) {
		return new OutboxRelay(dataSource, jdbc, transport, signal, properties.relay());
	}

	@Bean
	@ConditionalOnProperty(name = "taskstream.events.transport", havingValue = "in-process", matchIfMissing = true)
	EventTransport inProcessTransport(ObjectProvider<EventSubscription> subscriptions, EventsProperties properties) {
		List<EventSubscription> all = subscriptions.orderedStream().toList();
		return new InProcessTransport(all, properties.inProcess().maxAttempts());
	}

	@Bean
	@ConditionalOnProperty(name = "taskstream.events.transport", havingValue = "dapr")
	EventTransport daprTransport(EventsProperties properties) {
		return new DaprTransport(properties.dapr());
	}

}
