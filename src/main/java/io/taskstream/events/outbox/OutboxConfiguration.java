package io.taskstream.events.outbox;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.taskstream.events.metrics.EventMetrics;
import io.taskstream.events.EventsProperties;
import io.taskstream.events.Outbox;
import io.taskstream.events.transport.EventTransport;
import io.taskstream.platform.ConditionalOnRole;
import io.taskstream.platform.RoleSchemas;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The publishing side, present where the {@code tasks} role runs.
 * <p>
 * Created only once the role schemas are migrated ({@code @DependsOn}): its beans use the
 * tables Flyway creates, and no bean takes {@link RoleSchemas} to order them.
 */
@Configuration(proxyBeanMethods = false)
@DependsOn(RoleSchemas.BEAN)
@ConditionalOnRole("tasks")
class OutboxConfiguration {

	@Bean
	Outbox outbox(JdbcClient jdbc, OutboxRelay relay) {
		return new TransactionalOutbox(jdbc, relay);
	}

	@Bean
	OutboxRelay outboxRelay(DataSource dataSource, JdbcClient jdbc, EventTransport transport,
			EventsProperties properties, EventMetrics metrics) {
		return new OutboxRelay(new OutboxStore(jdbc, properties.relay().batchSize()), new LeaderLock(dataSource),
				transport, properties.relay(), metrics);
	}

	/** The backlog, read from the outbox at each scrape. */
	@Bean
	MeterBinder outboxBacklog(JdbcClient jdbc) {
		return (registry) -> {
			Gauge
				.builder("taskstream.outbox.backlog",
						() -> jdbc.sql("SELECT count(*) FROM tasks.outbox WHERE published_at IS NULL")
							.query(Long.class)
							.single())
				.description("Events written but not yet published")
				.baseUnit("rows")
				.register(registry);
			Gauge.builder("taskstream.outbox.oldest.age", () -> jdbc.sql("""
					SELECT coalesce(EXTRACT(EPOCH FROM now() - min(created_at)), 0)
					FROM tasks.outbox WHERE published_at IS NULL
					""").query(Double.class).single())
				.description("Age of the oldest unpublished event")
				.baseUnit("seconds")
				.register(registry);
		};
	}

}
