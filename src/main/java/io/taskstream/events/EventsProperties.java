package io.taskstream.events;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How events travel.
 *
 * @param transport {@code in-process} (the one-JVM embedded mode) or {@code dapr}
 * @param relay how the outbox relay batches and retries
 * @param inProcess settings of the in-process transport
 * @param dapr settings of the Dapr transport
 * @param gapAlertAfter how long an event may stay parked for its task's previous event
 * before the gap counts as overdue (the {@code taskstream_inbox_overdue_gaps} gauge, its
 * alert, the operator listing). It never applies the event without its predecessor: that
 * takes the predecessor or an operator's skip. Replaces {@code order-wait}, which did.
 */
@ConfigurationProperties("taskstream.events")
public record EventsProperties(@DefaultValue("in-process") Transport transport, @DefaultValue Relay relay,
		@DefaultValue InProcess inProcess, @DefaultValue Dapr dapr, @DefaultValue("5m") Duration gapAlertAfter) {

	public EventsProperties {
		if (gapAlertAfter != null && (gapAlertAfter.isNegative() || gapAlertAfter.isZero())) {
			throw new IllegalArgumentException("taskstream.events.gap-alert-after must be positive");
		}
	}

	public enum Transport {

		IN_PROCESS, DAPR

	}

	/**
	 * @param batchSize the most rows one publish takes
	 * @param pollInterval how often the relay looks for rows when nothing woke it
	 * @param initialBackoff the first wait after a failed publish, doubled each time
	 * @param maxBackoff the longest wait between retries of a row
	 * @param maxUnavailableBackoff the longest wait between tries while the whole
	 * transport is down (the sidecar, or the broker behind it), short so that draining
	 * starts within about a second of its return (a try then costs one fast-failing call)
	 * @param retention how long a published row stays in the outbox before the relay
	 * deletes it (the audit role keeps the history); {@code 0} keeps every row
	 * @param outageLogInterval how often the relay sums up failing publishes in one log
	 * line (while the broker or the sidecar is down, or single rows keep failing)
	 */
	public record Relay(@DefaultValue("200") int batchSize, @DefaultValue("1s") Duration pollInterval,
			@DefaultValue("200ms") Duration initialBackoff, @DefaultValue("30s") Duration maxBackoff,
			@DefaultValue("1s") Duration maxUnavailableBackoff, @DefaultValue("7d") Duration retention,
			@DefaultValue("30s") Duration outageLogInterval) {

		public Relay {
			if (batchSize < 1 || batchSize > 1000) {
				throw new IllegalArgumentException("taskstream.events.relay.batch-size must be 1..1000");
			}
			if (outageLogInterval.isNegative() || outageLogInterval.isZero()) {
				throw new IllegalArgumentException("taskstream.events.relay.outage-log-interval must be positive");
			}
			if (retention.isNegative()) {
				throw new IllegalArgumentException("taskstream.events.relay.retention must not be negative");
			}
		}

	}

	/**
	 * @param maxAttempts deliveries a subscriber may ask to retry before the event is
	 * dead-lettered, as the sidecar's resiliency policy bounds it in Dapr mode
	 */
	public record InProcess(@DefaultValue("10") int maxAttempts) {
	}

	/**
	 * @param httpEndpoint the sidecar's HTTP API
	 * @param pubsubName the pub/sub component's name
	 * @param apiToken sent as {@code dapr-api-token} when set ({@code DAPR_API_TOKEN})
	 * @param appApiToken required from the sidecar on every call to the app when set
	 * ({@code APP_API_TOKEN})
	 * @param timeout how long one publish call may take
	 * @param bulk how the sidecar delivers to the subscriber roles
	 */
	public record Dapr(@DefaultValue("http://127.0.0.1:3500") URI httpEndpoint,
			@DefaultValue("taskstream-pubsub") String pubsubName, String apiToken, String appApiToken,
			@DefaultValue("15s") Duration timeout, @DefaultValue Bulk bulk) {

		public Dapr {
			bulk = (bulk != null) ? bulk : new Bulk(true, Bulk.MAX_ENTRIES, Duration.ofMillis(5));
		}

	}

	/**
	 * Bulk delivery (Dapr bulk subscribe) of every subscriber role's topics, served in
	 * {@code /dapr/subscribe}. The Kafka component takes each batch from one partition
	 * and hands it over when it has {@code maxMessages} or when its timer (every
	 * {@code maxAwait}) ticks, so {@code maxAwait} is the latency a batch may add:
	 * Kafka's default of 10 s would be far too long.
	 * <p>
	 * On by default. One caveat of Dapr 1.18: it takes an HTTP 404 answer to a bulk
	 * delivery as every entry handled and dead-letters none of them (a single delivery
	 * answered 404 is dead-lettered), so the roles never answer 404 on a bulk route (a
	 * batch they cannot read is 400, and retried); see docs/events.md, "Delivery in
	 * batches". Turn it off to have the sidecar deliver one event per call.
	 *
	 * @param enabled whether the sidecar delivers in batches (else one event per call)
	 * @param maxMessages the most entries in one batch, at most 100 (the request size
	 * limit of the bulk routes allows that many of the largest events)
	 * @param maxAwait the longest a batch waits to fill, in whole milliseconds
	 */
	public record Bulk(@DefaultValue("true") boolean enabled, @DefaultValue("100") int maxMessages,
			@DefaultValue("5ms") Duration maxAwait) {

		/** The most entries a bulk delivery may carry. */
		public static final int MAX_ENTRIES = 100;

		public Bulk {
			if (maxMessages < 1 || maxMessages > MAX_ENTRIES) {
				throw new IllegalArgumentException(
						"taskstream.events.dapr.bulk.max-messages must be 1.." + MAX_ENTRIES);
			}
			if (maxAwait.toMillis() < 1) {
				throw new IllegalArgumentException("taskstream.events.dapr.bulk.max-await must be at least 1ms");
			}
		}

	}

}
