package io.taskstream.events.metrics;

import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * The event pipeline's metrics, named for Prometheus ({@code _total}, {@code _seconds}):
 * <ul>
 * <li>{@code taskstream_publish_seconds} (topic, outcome): how long publishing took;</li>
 * <li>{@code taskstream_publish_failures_total} (topic, reason);</li>
 * <li>{@code taskstream_events_consumed_total} (role, type, outcome = success, parked,
 * retry, drop, duplicate);</li>
 * <li>{@code taskstream_event_lag_seconds} (role): handler time minus the event's commit
 * time, a histogram;</li>
 * <li>{@code taskstream_dead_letters_total} (topic): dead letters recorded.</li>
 * </ul>
 * The outbox backlog gauges are registered where the outbox is
 * ({@code taskstream_outbox_backlog_rows}, {@code taskstream_outbox_oldest_age_seconds}).
 */
@Component
public class EventMetrics {

	private final MeterRegistry registry;

	EventMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	public void published(String topic, Duration took, boolean ok) {
		Timer.builder("taskstream.publish")
			.description("Time to publish an event to the transport")
			.tag("topic", topic)
			.tag("outcome", ok ? "success" : "failure")
			.publishPercentileHistogram()
			.register(this.registry)
			.record(took);
	}

	public void publishFailed(String topic, String reason) {
		Counter.builder("taskstream.publish.failures")
			.description("Events whose publish failed")
			.tag("topic", topic)
			.tag("reason", reason)
			.register(this.registry)
			.increment();
	}

	public void consumed(String role, String type, String outcome) {
		Counter.builder("taskstream.events.consumed")
			.description("Deliveries handled, by outcome")
			.tag("role", role)
			.tag("type", type)
			.tag("outcome", outcome)
			.register(this.registry)
			.increment();
	}

	public void lag(String role, Instant committed) {
		Duration lag = Duration.between(committed, Instant.now());
		Timer.builder("taskstream.event.lag")
			.description("Handler time minus the event's commit time")
			.tag("role", role)
			.publishPercentileHistogram()
			.register(this.registry)
			.record(lag.isNegative() ? Duration.ZERO : lag);
	}

	/** Counts a dead letter recorded by the audit role. */
	public void deadLetter(String topic) {
		Counter.builder("taskstream.dead.letters")
			.description("Dead letters recorded")
			.tag("topic", (topic != null) ? topic : "unknown")
			.register(this.registry)
			.increment();
	}

}
