package io.taskstream.events.outbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The relay's SQL over {@code tasks.outbox}: which rows may go now, and what became of
 * them (published, to be tried again, parked, purged).
 */
final class OutboxStore {

	private static final Log log = LogFactory.getLog(OutboxStore.class);

	/** Windows walked at most for a batch that is not empty but not full either. */
	private static final int MAX_WINDOWS_FOR_A_PARTIAL_BATCH = 10;

	/** Published rows deleted per statement when their retention is over. */
	static final int PURGE_CHUNK = 5_000;

	private final JdbcClient jdbc;

	private final int batchSize;

	OutboxStore(JdbcClient jdbc, int batchSize) {
		this.jdbc = jdbc;
		this.batchSize = batchSize;
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
	 * <p>
	 * The batch also tells whether it is the whole backlog: the walk reached the end and
	 * passed over no row (none waiting, no task's second row). Once all of it is
	 * published there is nothing left to look for until the next commit wakes the relay,
	 * so the relay's usual pass at a steady rate (one commit, one row) costs one query
	 * and one update, not four.
	 */
	Batch nextBatch() {
		int size = this.batchSize;
		List<OutboxMessage> batch = new ArrayList<>(size);
		Set<Long> tasksSeen = new HashSet<>();
		long after = 0;
		int windows = 0;
		boolean whole = true;
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
			whole &= heads.size() == window.size();
			if (after > 0 && !heads.isEmpty()) {
				Set<Long> behind = tasksWithUnpublishedRowsUpTo(after, heads);
				whole &= behind.isEmpty();
				heads.removeIf((head) -> behind.contains(head.taskId()));
			}
			whole &= heads.size() <= size - batch.size();
			heads.stream().limit(size - batch.size()).forEach(batch::add);
			if (window.size() < size) {
				return new Batch(batch, whole);
			}
			after = window.get(window.size() - 1).message().id();
		}
		return new Batch(batch, false);
	}

	/**
	 * Rows to publish now, at most one per task.
	 *
	 * @param wholeBacklog whether they were every unpublished row when read: none waited
	 * out a backoff and no task had a second one
	 */
	record Batch(List<OutboxMessage> messages, boolean wholeBacklog) {

		boolean isEmpty() {
			return this.messages.isEmpty();
		}

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

	void markPublished(List<Long> ids) {
		if (!ids.isEmpty()) {
			this.jdbc.sql("UPDATE tasks.outbox SET published_at = now() WHERE id IN (:ids)").param("ids", ids).update();
		}
	}

	/**
	 * Counts a failed try and holds the row back for the delay.
	 * @param refused whether the setup refused it (a recovery then leaves it waiting)
	 */
	void retryLater(OutboxMessage message, String reason, Duration delay, boolean refused) {
		this.jdbc.sql("""
				UPDATE tasks.outbox SET attempts = attempts + 1, last_error = :reason, refused = :refused,
				       next_attempt_at = now() + make_interval(secs => :delay)
				WHERE id = :id
				""")
			.param("reason", truncate(reason))
			.param("refused", refused)
			.param("delay", delay.toMillis() / 1000.0)
			.param("id", message.id())
			.update();
	}

	/**
	 * Makes every row that waits out the backoff of a transient failure due now: the
	 * transport is back, so waiting longer only delays the drain. Refused and parked rows
	 * keep waiting. (The {@code outbox_backing_off} index holds exactly the waiting
	 * rows.)
	 * @return how many rows it made due
	 */
	int retryWaitingNow() {
		return this.jdbc.sql("""
				UPDATE tasks.outbox SET next_attempt_at = NULL
				WHERE published_at IS NULL AND next_attempt_at IS NOT NULL AND next_attempt_at > now()
				  AND next_attempt_at <> 'infinity' AND NOT refused
				""").update();
	}

	/**
	 * The oldest row that is its task's first unpublished one and waits out a transient
	 * failure, due or not: what the relay tries to learn whether the transport is back.
	 * The walk starts at the oldest unpublished row, which is always its task's first, so
	 * it stops after a few rows unless many are parked.
	 */
	Optional<OutboxMessage> oldestWaitingHead() {
		return this.jdbc.sql("""
				SELECT id, event_id, topic, task_id, payload, traceparent, attempts FROM tasks.outbox o
				WHERE published_at IS NULL AND NOT refused
				  AND (next_attempt_at IS NULL OR next_attempt_at <> 'infinity')
				  AND NOT EXISTS (SELECT 1 FROM tasks.outbox e
				                  WHERE e.task_id = o.task_id AND e.published_at IS NULL AND e.id < o.id)
				ORDER BY id LIMIT 1
				""").query((rs, n) -> message(rs)).optional();
	}

	/** The unpublished rows: how many, and how long the oldest has waited. */
	Backlog backlog() {
		return this.jdbc.sql("""
				SELECT count(*) AS rows, coalesce(EXTRACT(EPOCH FROM now() - min(created_at)), 0) AS oldest
				FROM tasks.outbox WHERE published_at IS NULL
				""")
			.query((rs, n) -> new Backlog(rs.getLong("rows"),
					Duration.ofMillis((long) (rs.getDouble("oldest") * 1000))))
			.single();
	}

	/** The unpublished rows, for the relay's log. */
	record Backlog(long rows, Duration oldest) {
	}

	/**
	 * Stops retrying a row the broker setup keeps refusing (403/404: scoping or a missing
	 * component). It stays in the outbox, holding back only its task's later events,
	 * until an operator fixes the setup and releases it:
	 * {@code UPDATE tasks.outbox SET next_attempt_at = NULL WHERE next_attempt_at = 'infinity'}.
	 */
	void park(OutboxMessage message, String reason) {
		this.jdbc.sql("""
				UPDATE tasks.outbox SET attempts = attempts + 1, last_error = :reason, refused = true,
				       next_attempt_at = 'infinity'
				WHERE id = :id
				""").param("reason", truncate("parked: " + reason)).param("id", message.id()).update();
	}

	/**
	 * Deletes up to {@value #PURGE_CHUNK} published rows older than the retention, oldest
	 * first; the relay calls it again on its next pass while a chunk comes back full, so
	 * a large first purge never holds up publishing for long.
	 * @param retention {@code 0} keeps every row
	 * @return how many rows it deleted
	 */
	int purgePublished(Duration retention) {
		if (retention.isZero()) {
			return 0;
		}
		int deleted = this.jdbc.sql("""
				DELETE FROM tasks.outbox WHERE id IN (
				    SELECT id FROM tasks.outbox
				    WHERE published_at < now() - make_interval(secs => :retention)
				    ORDER BY id LIMIT :chunk)
				""").param("retention", retention.toMillis() / 1000.0).param("chunk", PURGE_CHUNK).update();
		if (deleted > 0) {
			log.info("Deleted " + deleted + " published outbox rows older than " + retention);
		}
		return deleted;
	}

	/**
	 * How long until the next row that waits out a backoff is due, at most
	 * {@code atMost}. A row that fell due since the batch was read counts as due now.
	 */
	Duration untilNextDue(Duration atMost) {
		Double seconds = this.jdbc.sql("""
				SELECT EXTRACT(EPOCH FROM min(next_attempt_at) - now()) FROM tasks.outbox
				WHERE published_at IS NULL AND next_attempt_at IS NOT NULL AND next_attempt_at <> 'infinity'
				""").query(Double.class).optional().orElse(null);
		long poll = atMost.toMillis();
		return Duration.ofMillis((seconds == null) ? poll : Math.max(10, Math.min(poll, (long) (seconds * 1000))));
	}

	private static String truncate(String reason) {
		return (reason.length() <= 1000) ? reason : reason.substring(0, 1000);
	}

	private static OutboxMessage message(ResultSet rs) throws SQLException {
		return new OutboxMessage(rs.getLong("id"), rs.getObject("event_id", UUID.class), rs.getString("topic"),
				rs.getLong("task_id"), rs.getString("payload"), rs.getString("traceparent"), rs.getInt("attempts"));
	}

}
