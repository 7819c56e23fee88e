package io.taskstream.events.outbox;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
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
 * If the transport is down as a whole, the relay backs off and the rows wait.</li>
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
	 * A failed pass (the transport down, the database away) is tried again after a
	 * backoff, short so the backlog drains soon after it is back.
	 */
	private final Worker worker;

	private long nextPurgeNanos = System.nanoTime();

	OutboxRelay(OutboxStore store, LeaderLock leader, EventTransport transport, EventsProperties.Relay settings,
			EventMetrics metrics) {
		this.store = store;
		this.leader = leader;
		this.transport = transport;
		this.retries = new RetryPolicy(settings);
		this.settings = settings;
		this.metrics = metrics;
		this.worker = new Worker("outbox-relay", this::publishAvailable,
				new Backoff(settings.initialBackoff(), settings.maxUnavailableBackoff()));
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
				List<OutboxMessage> batch = this.store.nextBatch();
				if (batch.isEmpty()) {
					return this.store.untilNextDue(this.settings.pollInterval());
				}
				// publishing a task's head row makes its next row the head: look again
				publish(batch);
			}
			return Duration.ZERO;
		}
		catch (EventTransport.TransportUnavailableException ex) {
			throw ex;
		}
		catch (SQLException | RuntimeException ex) {
			// the lock's connection may be what broke: let it be taken afresh
			this.leader.release();
			throw ex;
		}
	}

	/**
	 * Publishes one batch and records, per row, that it was published or why it failed.
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
			throw ex;
		}
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		List<Long> published = new ArrayList<>();
		for (OutboxMessage message : ready) {
			PublishResult result = results.getOrDefault(message.id(),
					new PublishResult.Failed("the transport gave no answer for it"));
			this.metrics.published(message.topic(), took, result instanceof PublishResult.Published);
			if (result instanceof PublishResult.Published) {
				published.add(message.id());
			}
			else {
				failed(message, result);
			}
		}
		this.store.markPublished(published);
		return published.size();
	}

	private void failed(OutboxMessage message, PublishResult failure) {
		String reason = (failure instanceof PublishResult.Refused refused) ? refused.reason()
				: ((PublishResult.Failed) failure).reason();
		this.metrics.publishFailed(message.topic(),
				(failure instanceof PublishResult.Refused) ? "configuration" : "rejected");
		Optional<Duration> next = this.retries.nextTry(failure, message.attempts());
		if (next.isEmpty()) {
			this.store.park(message, reason);
			log.error("Parked event " + message.eventId() + " after " + (message.attempts() + 1)
					+ " configuration errors; fix the Dapr setup, then release it (see OutboxStore#park): " + reason);
			return;
		}
		this.store.retryLater(message, reason, next.get());
		log.warn("Publishing event " + message.eventId() + " failed (attempt " + (message.attempts() + 1)
				+ "), retrying in " + next.get().toMillis() + " ms: " + reason);
	}

}
