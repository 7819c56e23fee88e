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
	 */
	public record Dapr(@DefaultValue("http://127.0.0.1:3500") URI httpEndpoint,
			@DefaultValue("taskstream-pubsub") String pubsubName, String apiToken, String appApiToken,
			@DefaultValue("15s") Duration timeout) {
	}

}
