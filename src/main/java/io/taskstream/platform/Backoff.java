package io.taskstream.platform;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff: the wait after the n-th failure in a row is {@code initial}
 * doubled n - 1 times, at most {@code max}. The one policy every retry here uses: a
 * {@link Worker}'s after a failed step, the outbox relay's and the webhook dispatcher's
 * per row.
 *
 * @param initial the wait after the first failure
 * @param max the longest wait
 */
public record Backoff(Duration initial, Duration max) {

	public Backoff {
		if (initial.isNegative() || initial.isZero() || max.isNegative() || max.isZero()) {
			throw new IllegalArgumentException("a backoff needs positive waits, not " + initial + ", " + max);
		}
	}

	/** A constant wait. */
	public static Backoff fixed(Duration wait) {
		return new Backoff(wait, wait);
	}

	/** The wait after the n-th failure in a row (n >= 1). */
	public Duration after(int failures) {
		long doubled = this.initial.toMillis() << Math.min(Math.max(failures, 1) - 1, 20);
		return Duration.ofMillis(Math.min(doubled, this.max.toMillis()));
	}

	/**
	 * {@link #after} with jitter: a random wait in its upper half, so that rows or
	 * clients that failed together do not all come back at once, while each still waits
	 * at least half as long.
	 */
	public Duration jitteredAfter(int failures) {
		long capped = after(failures).toMillis();
		return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
	}

}
