package io.taskstream.analytics;

import java.time.Duration;
import java.util.List;

import io.taskstream.events.TaskEvent;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The rebuild's tables: who is rebuilding ({@code analytics.rebuilds}), the projection
 * filled beside the served one ({@code *_next}), and the switch that makes it the served
 * one in a single transaction.
 */
class Rebuilds {

	private static final List<String> TABLES = List.of("daily_counts", "hourly_counts", "completion_durations",
			"processed_events", "task_sequences");

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final AnalyticsProjection next;

	Rebuilds(JdbcClient jdbc, TransactionTemplate transaction, AnalyticsProjection projection) {
		this.jdbc = jdbc;
		this.transaction = transaction;
		this.next = projection.next();
	}

	/**
	 * Claims the one rebuild slot and empties the tables it fills.
	 * @param staleAfter how long a running rebuild may go without finishing before it is
	 * taken for dead (its instance crashed)
	 * @return the rebuild's id, or {@code null} if another rebuild is running
	 */
	Long start(Duration staleAfter) {
		return this.transaction.execute((status) -> {
			this.jdbc.sql("""
					UPDATE analytics.rebuilds SET finished_at = now(), outcome = 'abandoned'
					WHERE finished_at IS NULL AND started_at < now() - make_interval(secs => :stale)
					""").param("stale", staleAfter.toSeconds()).update();
			Long id;
			try {
				id = this.jdbc.sql("INSERT INTO analytics.rebuilds DEFAULT VALUES RETURNING id")
					.query(Long.class)
					.single();
			}
			catch (DuplicateKeyException ex) {
				status.setRollbackOnly();
				return null;
			}
			for (String table : TABLES) {
				this.jdbc.sql("TRUNCATE analytics." + table + "_next").update();
			}
			return id;
		});
	}

	/**
	 * Applies a page of the history to the tables beside the served ones, each event once
	 * (history pages may overlap when a rebuild catches up).
	 */
	void apply(List<TaskEvent> events) {
		this.transaction.executeWithoutResult((status) -> {
			for (TaskEvent event : events) {
				int fresh = this.jdbc
					.sql("INSERT INTO analytics.processed_events_next (event_id) VALUES (:id) ON CONFLICT DO NOTHING")
					.param("id", event.eventId())
					.update();
				if (fresh == 1) {
					this.next.apply(event);
					this.jdbc.sql("""
							INSERT INTO analytics.task_sequences_next AS s (task_id, last_sequence) VALUES (:task, :seq)
							ON CONFLICT (task_id) DO UPDATE SET last_sequence = greatest(s.last_sequence, :seq)
							""").param("task", event.taskId()).param("seq", event.sequence()).update();
				}
			}
		});
	}

	/**
	 * Makes the rebuilt projection the served one, in one transaction: readers see the
	 * old numbers or the new ones, never a mix. Live deliveries wait for it (the inbox's
	 * first statement inserts into {@code processed_events}), and {@code catchUp} runs
	 * inside it, so nothing applied meanwhile is lost.
	 */
	void switchIn(long id, long replayed, Runnable catchUp) {
		this.transaction.executeWithoutResult((status) -> {
			// in the order the inbox takes them (its first statement locks the task's
			// row in task_sequences): a delivery in flight finishes first, a later one
			// waits holding nothing, so neither side can deadlock the other
			this.jdbc.sql("""
					LOCK TABLE analytics.task_sequences, analytics.processed_events, analytics.daily_counts,
					           analytics.hourly_counts, analytics.completion_durations, analytics.parked_events
					IN ACCESS EXCLUSIVE MODE
					""").update();
			catchUp.run();
			for (String table : TABLES) {
				this.jdbc.sql("TRUNCATE analytics." + table).update();
				this.jdbc.sql("INSERT INTO analytics." + table + " SELECT * FROM analytics." + table + "_next")
					.update();
				this.jdbc.sql("TRUNCATE analytics." + table + "_next").update();
			}
			// an event parked here that the history brought in is applied in the new
			// numbers
			this.jdbc.sql("""
					DELETE FROM analytics.parked_events p USING analytics.processed_events e
					WHERE e.event_id = p.event_id
					""").update();
			finish(id, "switched", replayed);
		});
	}

	/** Ends a rebuild that did not switch: the served projection stays as it was. */
	void fail(long id) {
		finish(id, "failed", null);
	}

	private void finish(long id, String outcome, Long replayed) {
		this.jdbc.sql("""
				UPDATE analytics.rebuilds SET finished_at = now(), outcome = :outcome, replayed = :replayed
				WHERE id = :id AND finished_at IS NULL
				""").param("outcome", outcome).param("replayed", replayed).param("id", id).update();
	}

}
