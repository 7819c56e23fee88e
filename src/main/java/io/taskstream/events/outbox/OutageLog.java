package io.taskstream.events.outbox;

import java.time.Duration;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Whether publishing is down, and what the relay says about it: one line when an outage
 * starts, one summary per interval while it lasts (tries, rows waiting, the oldest one's
 * age, the last error), and one line once it is over and the backlog has drained. Single
 * rows that fail while the transport works are told the same way: the first at once, the
 * rest in one summary per interval. A broker outage under load used to write a line per
 * row and try (21,497 in a minute); this writes a handful.
 * <p>
 * Used by the relay's one thread only.
 */
final class OutageLog {

	private static final Log log = LogFactory.getLog(OutboxRelay.class);

	private final Duration interval;

	/** When the outage began ({@link System#nanoTime}), or {@code null} while up. */
	private Long downSince;

	/** Publish calls that failed as a whole in the current outage. */
	private int failedTries;

	/** Failed tries, of calls or of single rows, since the last summary. */
	private int failuresSinceSummary;

	private String lastError;

	/** When the next summary is due, or {@code null} if nothing failed since the last. */
	private Long nextSummary;

	/** The outage that ended, while the backlog it left drains; or {@code null}. */
	private Recovery recovery;

	OutageLog(Duration interval) {
		this.interval = interval;
	}

	boolean isDown() {
		return this.downSince != null;
	}

	/** Publish calls that failed as a whole since the outage began. */
	int failedTries() {
		return this.failedTries;
	}

	/** A publish call that published nothing because the transport is unavailable. */
	void unavailable(String error, Supplier<OutboxStore.Backlog> backlog) {
		this.lastError = error;
		this.failuresSinceSummary++;
		this.failedTries++;
		if (this.downSince == null) {
			endRecovery("before publishing failed again");
			this.downSince = System.nanoTime();
			this.failedTries = 1;
			this.nextSummary = this.downSince + this.interval.toNanos();
			OutboxStore.Backlog waiting = backlog.get();
			log.warn("Publishing events fails: " + error + ". " + waiting.rows()
					+ " rows wait in the outbox and go when the broker or the sidecar is back; a summary follows every "
					+ this.interval.toSeconds() + " s until then");
		}
	}

	/** A single row failed while others may go (its task waits out a backoff). */
	void rowFailed(String error) {
		this.lastError = error;
		this.failuresSinceSummary++;
		if (this.nextSummary == null) {
			this.nextSummary = System.nanoTime() + this.interval.toNanos();
			log.warn("Publishing an event failed, its task's events wait out a backoff (failures in the next "
					+ this.interval.toSeconds() + " s are summarised): " + error);
			this.failuresSinceSummary = 0;
		}
	}

	/**
	 * Rows were published.
	 * @param callStarted when the publish call began ({@link System#nanoTime})
	 * @return whether this ends an outage: the caller then makes the waiting rows due
	 */
	boolean published(int rows, long callStarted) {
		if (this.recovery != null) {
			this.recovery.drained += rows;
		}
		if (this.downSince == null) {
			return false;
		}
		this.recovery = new Recovery(Duration.ofNanos(callStarted - this.downSince), this.failedTries, callStarted);
		this.recovery.drained = rows;
		this.downSince = null;
		this.failedTries = 0;
		return true;
	}

	/** Nothing is left to publish now: a recovery's drain is over. */
	void drained() {
		endRecovery("");
	}

	/** Writes the interval's summary if one is due. */
	void summarizeIfDue(Supplier<OutboxStore.Backlog> backlog) {
		long now = System.nanoTime();
		if (this.nextSummary == null || now - this.nextSummary < 0) {
			return;
		}
		if (this.downSince != null) {
			OutboxStore.Backlog waiting = backlog.get();
			log.warn("Publishing has failed for " + seconds(Duration.ofNanos(now - this.downSince)) + ": "
					+ this.failedTries + " tries failed, " + waiting.rows() + " rows wait, the oldest for "
					+ seconds(waiting.oldest()) + "; last error: " + this.lastError);
			this.nextSummary = now + this.interval.toNanos();
		}
		else if (this.failuresSinceSummary > 0) {
			OutboxStore.Backlog waiting = backlog.get();
			log.warn("In the last " + this.interval.toSeconds() + " s, " + this.failuresSinceSummary
					+ " publishes of single events failed and wait out their backoff (" + waiting.rows()
					+ " rows wait, the oldest for " + seconds(waiting.oldest()) + "); last error: " + this.lastError);
			this.nextSummary = now + this.interval.toNanos();
		}
		else {
			this.nextSummary = null;
		}
		this.failuresSinceSummary = 0;
	}

	private void endRecovery(String note) {
		if (this.recovery == null) {
			return;
		}
		Duration draining = Duration.ofNanos(System.nanoTime() - this.recovery.at);
		log.info("Publishing is back after " + seconds(this.recovery.downFor) + " down (" + this.recovery.failedTries
				+ " tries failed); " + this.recovery.drained + " rows drained in " + seconds(draining)
				+ (note.isEmpty() ? "" : " " + note));
		this.recovery = null;
	}

	private static String seconds(Duration duration) {
		return String.format("%.1f s", duration.toMillis() / 1000.0);
	}

	/** An outage that ended, and what has drained since. */
	private static final class Recovery {

		final Duration downFor;

		final int failedTries;

		final long at;

		long drained;

		Recovery(Duration downFor, int failedTries, long at) {
			this.downFor = downFor;
			this.failedTries = failedTries;
			this.at = at;
		}

	}

}
