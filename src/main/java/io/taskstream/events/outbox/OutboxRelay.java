package io.taskstream.events.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import io.taskstream.events.metrics.EventMetrics;
import io.taskstream.events.EventsProperties;
import io.taskstream.events.transport.EventTransport;
import io.taskstream.events.transport.PublishResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Publishes outbox rows in order, on one thread of its own, so an API call never waits
 * for (or fails because of) the broker.
 *
 * <ul>
 * <li>It is woken after every commit that wrote events, and polls as a fallback.</li>
 * <li>A batch takes the oldest rows, at most one per task: a task's next event is only
 * published once the one before it is, so a failure never reorders a task's events.</li>
 * <li>A row that fails is retried with exponential backoff and jitter; other tasks go on.
 * If the transport is down as a whole, the relay backs off and the rows wait.</li>
 * <li>Only one relay publishes per database (a PostgreSQL advisory lock), so several
 * {@code tasks} instances keep the order too.</li>
 * <li>Published rows are deleted once they are older than the retention (7 days by
 * default); the audit role's event store is the history.</li>
 * </ul>
 */
final class OutboxRelay implements SmartLifecycle {

	private static final Log log = LogFactory.getLog(OutboxRelay.class);

	/** The advisory lock that makes one relay the publisher; "TSOUTBOX" in ASCII. */
	private static final long LEADER_LOCK = 0x54534F5554424F58L;

	/** Windows walked at most for a batch that is not empty but not full either. */
	private static final int MAX_WINDOWS_FOR_A_PARTIAL_BATCH = 10;

	/** Published rows deleted per statement when their retention is over. */
	private static final int PURGE_CHUNK = 5_000;

	/** How often the leader looks for published rows past their retention. */
	private static final Duration PURGE_INTERVAL = Duration.ofMinutes(10);

	/** Configuration errors (403/404 from the sidecar) a row gets before it is parked. */
	static final int CONFIGURATION_ERROR_ATTEMPTS = 10;

	private final DataSource dataSource;

	private final JdbcClient jdbc;

	private final EventTransport transport;

	private final OutboxSignal signal;

	private final EventsProperties.Relay settings;

	private final EventMetrics metrics;

	private volatile boolean running;

	private Thread thread;

	private Connection leaderConnection;

	private Duration transportBackoff = Duration.ZERO;

	private long nextPurgeNanos = System.nanoTime();

	OutboxRelay(DataSource dataSource, JdbcClient jdbc, EventTransport transport, OutboxSignal signal,
			EventsProperties.Relay settings, EventMetrics metrics) {
		this.metrics = metrics;
		this.dataSource = dataSource;
		this.jdbc = jdbc;
		this.transport = transport;
		this.signal = signal;
		this.settings = settings;
	}

	@Override
	public void start() {
		this.running = true;
		this.thread = new Thread(this::run, "outbox-relay");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	@Override
	public void stop() {
		this.running = false;
		this.signal.wake();
		try {
			this.thread.join(5_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Wakes the relay now, e.g. when a test or an operator wants a drain without waiting.
	 */
	void wake() {
		this.signal.wake();
	}

	private void run() {
		while (this.running) {
			long waitMillis;
			try {
				waitMillis = publishAvailable();
				this.transportBackoff = Duration.ZERO;
			}
			catch (EventTransport.TransportUnavailableException ex) {
				this.transportBackoff = nextBackoff(this.transportBackoff);
				log.warn("Event transport unavailable, retrying in " + this.transportBackoff.toMillis() + " ms: "
						+ ex.getMessage());
				waitMillis = this.transportBackoff.toMillis();
			}
			catch (RuntimeException | SQLException ex) {
				releaseLeadership();
				log.warn("Outbox relay failed, retrying in " + this.settings.pollInterval().toMillis() + " ms", ex);
				waitMillis = this.settings.pollInterval().toMillis();
			}
			try {
				this.signal.await(waitMillis);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		releaseLeadership();
	}

	/**
	 * Publishes batches until nothing is ready.
	 * @return how long to wait before looking again
	 */
	private long publishAvailable() throws SQLException {
		if (!isLeader()) {
			return this.settings.pollInterval().toMillis();
		}
		if (System.nanoTime() - this.nextPurgeNanos >= 0) {
			boolean more = purgePublished() == PURGE_CHUNK;
			this.nextPurgeNanos = System.nanoTime() + (more ? 0 : PURGE_INTERVAL.toNanos());
		}
		while (this.running) {
			List<OutboxMessage> batch = nextBatch();
			if (batch.isEmpty()) {
				return millisUntilNextDue();
			}
			// publishing a task's head row makes its next row the head: look again
			publish(batch);
		}
		return 0;
	}

	/**
	 * Publishes one batch and records, per row, that it was published or why it failed.
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
			else if (result instanceof PublishResult.Refused refused) {
				this.metrics.publishFailed(message.topic(), "configuration");
				if (message.attempts() + 1 >= CONFIGURATION_ERROR_ATTEMPTS) {
					park(message, refused.reason());
				}
				else {
					// retrying soon will not help: only at the slowest backoff
					retryLater(message, refused.reason(), this.settings.maxBackoff());
				}
			}
			else if (result instanceof PublishResult.Failed failed) {
				this.metrics.publishFailed(message.topic(), "rejected");
				retryLater(message, failed.reason(), rowBackoff(message.attempts() + 1));
			}
		}
		if (!published.isEmpty()) {
			this.jdbc.sql("UPDATE tasks.outbox SET published_at = now() WHERE id IN (:ids)")
				.param("ids", published)
				.update();
		}
		return published.size();
	}

	private void retryLater(OutboxMessage message, String reason, Duration delay) {
		this.jdbc.sql("""
				UPDATE tasks.outbox SET attempts = attempts + 1, last_error = :reason,
				       next_attempt_at = now() + make_interval(secs => :delay)
				WHERE id = :id
				""")
			.param("reason", truncate(reason))
			.param("delay", delay.toMillis() / 1000.0)
			.param("id", message.id())
			.update();
		log.warn("Publishing event " + message.eventId() + " failed (attempt " + (message.attempts() + 1)
				+ "), retrying in " + delay.toMillis() + " ms: " + reason);
	}

	/**
	 * Stops retrying a row the broker setup keeps refusing (403/404: scoping or a missing
	 * component). It stays in the outbox, holding back only its task's later events,
	 * until an operator fixes the setup and releases it:
	 * {@code UPDATE tasks.outbox SET next_attempt_at = NULL WHERE next_attempt_at = 'infinity'}.
	 */
	private void park(OutboxMessage message, String reason) {
		this.jdbc.sql("""
				UPDATE tasks.outbox SET attempts = attempts + 1, last_error = :reason, next_attempt_at = 'infinity'
				WHERE id = :id
				""").param("reason", truncate("parked: " + reason)).param("id", message.id()).update();
		log.error("Parked event " + message.eventId() + " after " + (message.attempts() + 1)
				+ " configuration errors; fix the Dapr setup, then release it (see OutboxRelay#park): " + reason);
	}

	/**
	 * The oldest rows that may go now: the first unpublished row of each task, if it is
	 * due. A task whose head row is waiting out a backoff holds back only its own events.
	 * <p>
	 * Walks the unpublished rows in id order, a batch's worth at a time, and keeps each
	 * task's first row: every earlier row of a task has a smaller id, so it is in the
	 * part already walked, unless it committed after that part was read (each window is a
	 * snapshot of its own), which one index probe per later window checks for the heads
	 * it found. Each step is the plain ordered scan of the
	 * {@code outbox_unpublished_order} index with a limit, so a batch costs the same
	 * however long the backlog is. (Asking for "no earlier unpublished row of the same
	 * task" in the query itself let PostgreSQL read the whole backlog for each batch: as
	 * an anti-join, 182 ms per batch, half of PostgreSQL's execution time in a
	 * 20,000-event drain; as a per-row EXISTS, hashed, 112 ms.) Rows that are not due
	 * (parked ones included) are walked past every time; once a batch has something, the
	 * walk stops after {@value #MAX_WINDOWS_FOR_A_PARTIAL_BATCH} windows.
	 */
	List<OutboxMessage> nextBatch() {
		int size = this.settings.batchSize();
		List<OutboxMessage> batch = new ArrayList<>(size);
		Set<Long> tasksSeen = new HashSet<>();
		long after = 0;
		int windows = 0;
		while (batch.size() < size && !(windows >= MAX_WINDOWS_FOR_A_PARTIAL_BATCH && !batch.isEmpty())) {
			List<Candidate> window = this.jdbc.sql("""
					SELECT id, event_id, topic, task_id, payload, traceparent, attempts,
					       (next_attempt_at IS NULL OR next_attempt_at <= now()) AS due
					FROM tasks.outbox
					WHERE published_at IS NULL AND id > :after
					ORDER BY id LIMIT :limit
					""")
				.param("after", after)
				.param("limit", size)
				.query((rs, n) -> new Candidate(message(rs), rs.getBoolean("due")))
				.list();
			windows++;
			List<OutboxMessage> heads = new ArrayList<>();
			for (Candidate candidate : window) {
				if (tasksSeen.add(candidate.message().taskId()) && candidate.due()) {
					heads.add(candidate.message());
				}
			}
			if (after > 0 && !heads.isEmpty()) {
				Set<Long> behind = tasksWithUnpublishedRowsUpTo(after, heads);
				heads.removeIf((head) -> behind.contains(head.taskId()));
			}
			heads.stream().limit(size - batch.size()).forEach(batch::add);
			if (window.size() < size) {
				break;
			}
			after = window.get(window.size() - 1).message().id();
		}
		return batch;
	}

	/**
	 * Of the heads' tasks, those with an unpublished row at or below {@code id}: a row
	 * that committed after the window holding it was read, so it, not the head found
	 * later, is its task's first.
	 */
	private Set<Long> tasksWithUnpublishedRowsUpTo(long id, List<OutboxMessage> heads) {
		return new HashSet<>(this.jdbc.sql("""
				SELECT DISTINCT task_id FROM tasks.outbox
				WHERE published_at IS NULL AND id <= :id AND task_id IN (:tasks)
				""")
			.param("id", id)
			.param("tasks", heads.stream().map(OutboxMessage::taskId).toList())
			.query(Long.class)
			.list());
	}

	/** An unpublished row, and whether it may go now. */
	private record Candidate(OutboxMessage message, boolean due) {
	}

	/**
	 * Deletes up to {@value #PURGE_CHUNK} published rows older than the retention, oldest
	 * first; the relay calls it again on its next pass while a chunk comes back full, so
	 * a large first purge never holds up publishing for long.
	 * @return how many rows it deleted
	 */
	int purgePublished() {
		if (this.settings.retention().isZero()) {
			return 0;
		}
		int deleted = this.jdbc.sql("""
				DELETE FROM tasks.outbox WHERE id IN (
				    SELECT id FROM tasks.outbox
				    WHERE published_at < now() - make_interval(secs => :retention)
				    ORDER BY id LIMIT :chunk)
				""")
			.param("retention", this.settings.retention().toMillis() / 1000.0)
			.param("chunk", PURGE_CHUNK)
			.update();
		if (deleted > 0) {
			log.info("Deleted " + deleted + " published outbox rows older than " + this.settings.retention());
		}
		return deleted;
	}

	/**
	 * How long until the next row that waits out a backoff is due, at most the poll
	 * interval. A row that fell due since the batch was read counts as due now.
	 */
	private long millisUntilNextDue() {
		Double seconds = this.jdbc.sql("""
				SELECT EXTRACT(EPOCH FROM min(next_attempt_at) - now()) FROM tasks.outbox
				WHERE published_at IS NULL AND next_attempt_at IS NOT NULL AND next_attempt_at <> 'infinity'
				""").query(Double.class).optional().orElse(null);
		long poll = this.settings.pollInterval().toMillis();
		return (seconds == null) ? poll : Math.max(10, Math.min(poll, (long) (seconds * 1000)));
	}

	private boolean isLeader() throws SQLException {
		if (this.leaderConnection != null && this.leaderConnection.isValid(2)) {
			return true;
		}
		releaseLeadership();
		Connection connection = this.dataSource.getConnection();
		try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
			statement.setLong(1, LEADER_LOCK);
			try (ResultSet result = statement.executeQuery()) {
				if (result.next() && result.getBoolean(1)) {
					this.leaderConnection = connection;
					log.info("This instance's outbox relay is the publisher");
					return true;
				}
			}
		}
		connection.close();
		return false;
	}

	private void releaseLeadership() {
		if (this.leaderConnection != null) {
			try {
				this.leaderConnection.close();
			}
			catch (SQLException ex) {
				log.debug("Closing the relay's lock connection failed", ex);
			}
			this.leaderConnection = null;
		}
	}

	private Duration nextBackoff(Duration previous) {
		Duration next = previous.isZero() ? this.settings.initialBackoff() : previous.multipliedBy(2);
		Duration max = this.settings.maxUnavailableBackoff();
		return next.compareTo(max) > 0 ? max : next;
	}

	/** Exponential backoff with full jitter in its upper half, capped. */
	private Duration rowBackoff(int attempts) {
		long base = this.settings.initialBackoff().toMillis() << Math.min(attempts - 1, 20);
		long capped = Math.min(base, this.settings.maxBackoff().toMillis());
		return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
	}

	private static String truncate(String reason) {
		return (reason.length() <= 1000) ? reason : reason.substring(0, 1000);
	}

	private static OutboxMessage message(ResultSet rs) throws SQLException {
		return new OutboxMessage(rs.getLong("id"), rs.getObject("event_id", UUID.class), rs.getString("topic"),
				rs.getLong("task_id"), rs.getString("payload"), rs.getString("traceparent"), rs.getInt("attempts"));
	}

}
