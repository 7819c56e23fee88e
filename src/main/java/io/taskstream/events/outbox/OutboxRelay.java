package io.taskstream.events.outbox;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.taskstream.events.EventsProperties;
import io.taskstream.events.metrics.EventMetrics;
import io.taskstream.events.transport.EventTransport;
import io.taskstream.events.transport.PublishResult;
import io.taskstream.platform.Backoff;
import io.taskstream.platform.Worker;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Publishes outbox rows in order, on a {@link Worker} of its own, so an API call never
 * waits for (or fails because of) the broker.
 *
 * <ul>
 * <li>It is woken after every commit that wrote events, and polls as a fallback.</li>
 * <li>A batch takes the oldest rows, at most one per task
 * ({@link OutboxStore#nextBatch}): a task's next event is only published once the one
 * before it is, so a failure never reorders a task's events.</li>
 * <li>A row that fails is tried again as the {@link RetryPolicy} says; other tasks go on.
 * If the transport is down as a whole (the sidecar does not answer, or the broker fails
 * every message), the rows wait untouched and the relay tries again after a short
 * {@link Backoff} (at most {@code maxUnavailableBackoff}, 1 s), with the oldest row even
 * if every row waits out a backoff. The first publish that goes through ends the outage
 * and makes every row that waits out a transient failure due: the backlog drains at once,
 * not row by row as backoffs end.</li>
 * <li>The log tells an outage in a few lines ({@link OutageLog}), not one per row.</li>
 * <li>Only the instance holding the {@link LeaderLock} publishes, so several
 * {@code tasks} instances keep the order too.</li>
 * <li>Published rows are deleted once they are older than the retention (7 days by
 * default); the audit role's event store is the history.</li>
 * </ul>
 */
final class OutboxRelay implements SmartLifecycle {

	private static final Log log = LogFactory.getLog(OutboxRelay.class);

	/** How often the leader looks for published rows past their retention. */
	private static final Duration PURGE_INTERVAL = Duration.ofMinutes(10);

	private final OutboxStore store;

	private final LeaderLock leader;

	private final EventTransport transport;

	private final RetryPolicy retries;

	private final EventsProperties.Relay settings;

	private final EventMetrics metrics;

	/**
	 * The wait after a pass that failed (the database away) or found the transport
	 * unavailable, by failures in a row: short, so the backlog drains soon after it is
	 * back.
	 */
	private final Backoff unavailable;

	private final Worker worker;

	private final OutageLog outages;

	private long nextPurgeNanos = System.nanoTime();

	OutboxRelay(OutboxStore store, LeaderLock leader, EventTransport transport, EventsProperties.Relay settings,
			EventMetrics metrics) {
		this.store = store;
		this.leader = leader;
		this.transport = transport;
		this.retries = new RetryPolicy(settings);
		this.settings = settings;
		this.metrics = metrics;
		this.unavailable = new Backoff(settings.initialBackoff(), settings.maxUnavailableBackoff());
		this.outages = new OutageLog(settings.outageLogInterval());
		this.worker = new Worker("outbox-relay", this::publishAvailable, this.unavailable);
	}

	@Override
	public void start() {
		this.worker.start();
	}

	@Override
	public void stop() {
		this.worker.stop();
		this.leader.release();
	}

	@Override
	public boolean isRunning() {
		return this.worker.isRunning();
	}

	/**
	 * Wakes the relay now: after a commit that wrote events, or for a drain on demand.
	 */
	void wake() {
		this.worker.wake();
	}

	/**
	 * One pass: publishes batches until nothing is ready.
	 * @return how long to wait before looking again
	 */
	private Duration publishAvailable() throws SQLException {
		try {
			if (!this.leader.isHeld()) {
				return this.settings.pollInterval();
			}
			if (System.nanoTime() - this.nextPurgeNanos >= 0) {
				boolean more = this.store.purgePublished(this.settings.retention()) == OutboxStore.PURGE_CHUNK;
				this.nextPurgeNanos = System.nanoTime() + (more ? 0 : PURGE_INTERVAL.toNanos());
			}
			while (this.worker.isRunning()) {
				this.outages.summarizeIfDue(this.store::backlog);
				OutboxStore.Batch next = this.store.nextBatch();
				List<OutboxMessage> batch = next.messages();
				if (batch.isEmpty() && this.outages.isDown()) {
					// rows may all wait out backoffs: try the oldest anyway, to see the
					// transport come back within a short wait, not a row's backoff
					batch = this.store.oldestWaitingHead().map(List::of).orElse(List.of());
				}
				if (batch.isEmpty()) {
					this.outages.drained();
					return this.store.untilNextDue(this.settings.pollInterval());
				}
				int published = publish(batch);
				if (this.outages.isDown()) {
					// the rest of the backlog would fail the same way: try again shortly
					return this.unavailable.after(this.outages.failedTries());
				}
				if (next.wholeBacklog() && published == batch.size()) {
					// nothing was left behind and nothing waits: a commit since the batch
					// was read has woken the worker, so its next sleep ends at once
					this.outages.drained();
					return this.settings.pollInterval();
				}
				// publishing a task's head row makes its next row the head: look again
			}
			return Duration.ZERO;
		}
		catch (SQLException | RuntimeException ex) {
			// the lock's connection may be what broke: let it be taken afresh
			this.leader.release();
			throw ex;
		}
	}

	/**
	 * Publishes one batch and records, per row, that it was published or why it failed.
	 * If the transport failed the call as a whole, the rows are left as they are (nothing
	 * is wrong with them) and the relay counts an outage; the first publish after it
	 * makes every row that waits out a transient failure due at once.
	 * @return how many were published
	 */
	int publish(List<OutboxMessage> ready) {
		long started = System.nanoTime();
		Map<Long, PublishResult> results;
		try {
			results = this.transport.publish(ready.stream().map(OutboxMessage::toMessage).toList());
		}
		catch (EventTransport.TransportUnavailableException ex) {
			ready.forEach((message) -> this.metrics.publishFailed(message.topic(), "unavailable"));
			this.outages.unavailable(ex.getMessage(), this.store::backlog);
			return 0;
		}
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		List<Long> published = new ArrayList<>();
		Map<OutboxMessage, PublishResult> failures = new LinkedHashMap<>();
		for (OutboxMessage message : ready) {
			PublishResult result = results.getOrDefault(message.id(),
					new PublishResult.Failed("the transport gave no answer for it"));
			this.metrics.published(message.topic(), took, result instanceof PublishResult.Published);
			if (result instanceof PublishResult.Published) {
				published.add(message.id());
			}
			else {
				failures.put(message, result);
			}
		}
		this.store.markPublished(published);
		String unavailable = failures.values()
			.stream()
			.filter(PublishResult.Unavailable.class::isInstance)
			.map(PublishResult::reason)
			.findFirst()
			.orElse(null);
		boolean wholeCallFailed = published.isEmpty() && unavailable != null;
		failures.forEach((message, result) -> {
			if (wholeCallFailed && result instanceof PublishResult.Unavailable) {
				this.metrics.publishFailed(message.topic(), "unavailable");
			}
			else {
				failed(message, result);
			}
		});
		if (wholeCallFailed) {
			this.outages.unavailable(unavailable, this.store::backlog);
		}
		if (!published.isEmpty() && this.outages.published(published.size(), started)) {
			this.store.retryWaitingNow();
		}
		return published.size();
	}

	private void failed(OutboxMessage message, PublishResult failure) {
		boolean refused = failure instanceof PublishResult.Refused;
		this.metrics.publishFailed(message.topic(), refused ? "configuration" : "rejected");
		Optional<Duration> next = this.retries.nextTry(failure, message.attempts());
		if (next.isEmpty()) {
			this.store.park(message, failure.reason());
			log.error("Parked event " + message.eventId() + " after " + (message.attempts() + 1)
					+ " configuration errors; fix the Dapr setup, then release it (see OutboxStore#park): "
					+ failure.reason());
			return;
		}
		this.store.retryLater(message, failure.reason(), next.get(), refused);
		if (!refused) {
			this.outages.rowFailed(failure.reason());
		}
	}

}
