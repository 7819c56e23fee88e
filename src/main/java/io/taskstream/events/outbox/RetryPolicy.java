package io.taskstream.events.outbox;

import java.time.Duration;
import java.util.Optional;

import io.taskstream.events.EventsProperties;
import io.taskstream.events.transport.PublishResult;
import io.taskstream.platform.Backoff;

/**
 * When a row whose publish failed is tried again. A transient failure backs off
 * exponentially with jitter, so other tasks' rows go on meanwhile; a refusal by the setup
 * (which retrying soon will not fix) is tried only at the slowest pace, and after
 * {@value #REFUSALS_BEFORE_PARKING} tries the row is parked for an operator.
 */
final class RetryPolicy {

	/** Failed tries of a refused row before it is parked. */
	static final int REFUSALS_BEFORE_PARKING = 10;

	private final Backoff backoff;

	RetryPolicy(EventsProperties.Relay settings) {
		this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff());
	}

	/**
	 * @param failure why the publish failed
	 * @param failedBefore the row's failed tries before this one
	 * @return the wait before the next try, or empty to park the row
	 */
	Optional<Duration> nextTry(PublishResult failure, int failedBefore) {
		int failures = failedBefore + 1;
		if (failure instanceof PublishResult.Refused) {
			return (failures >= REFUSALS_BEFORE_PARKING) ? Optional.empty() : Optional.of(this.backoff.max());
		}
		return Optional.of(this.backoff.jitteredAfter(failures));
	}

}
