package io.taskstream.events;

import java.util.function.BooleanSupplier;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A subscriber role's record of the task events it has applied, kept in the role's own
 * schema ({@code processed_events} and {@code task_sequences}) and written in the same
 * transaction as the event's effect. It gives two guarantees:
 * <ul>
 * <li>exactly-once effect: a duplicate delivery changes nothing;</li>
 * <li>per-task order: a task's events carry consecutive sequences but travel on different
 * topics, which Kafka does not order among themselves, so an event that arrives before
 * its predecessor is refused ({@link OutOfOrderException}, answered with RETRY) and
 * applied once the predecessor is in.</li>
 * </ul>
 */
public final class Inbox {

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final String schema;

	/**
	 * @param schema the role's schema, e.g. {@code analytics}
	 */
	public Inbox(JdbcClient jdbc, TransactionTemplate transaction, String schema) {
		this.jdbc = jdbc;
		this.transaction = transaction;
		this.schema = schema;
	}

	/**
	 * Runs the effect once per event and in each task's sequence order, in one
	 * transaction with the record of it.
	 * @return {@code false} for a duplicate or stale event, else what the effect said
	 * @throws OutOfOrderException if the task's previous event has not been applied yet
	 */
	public boolean processInOrder(TaskEvent event, BooleanSupplier effect) {
		Boolean result = this.transaction.execute((status) -> {
			int inserted = this.jdbc
				.sql("INSERT INTO " + this.schema + ".processed_events (event_id) VALUES (:id) ON CONFLICT DO NOTHING")
				.param("id", event.eventId())
				.update();
			if (inserted == 0) {
				return false;
			}
			this.jdbc
				.sql("INSERT INTO " + this.schema
						+ ".task_sequences (task_id, last_sequence) VALUES (:task, 0) ON CONFLICT DO NOTHING")
				.param("task", event.taskId())
				.update();
			long last = this.jdbc
				.sql("SELECT last_sequence FROM " + this.schema + ".task_sequences WHERE task_id = :task FOR UPDATE")
				.param("task", event.taskId())
				.query(Long.class)
				.single();
			if (event.sequence() <= last) {
				return false;
			}
			if (event.sequence() > last + 1) {
				throw new OutOfOrderException(event, last);
			}
			this.jdbc
				.sql("UPDATE " + this.schema + ".task_sequences SET last_sequence = :sequence WHERE task_id = :task")
				.param("sequence", event.sequence())
				.param("task", event.taskId())
				.update();
			return effect.getAsBoolean();
		});
		return Boolean.TRUE.equals(result);
	}

	/** The event came before its predecessor; deliver it again later. */
	public static final class OutOfOrderException extends RuntimeException {

		OutOfOrderException(TaskEvent event, long last) {
			super("event " + event.eventId() + " of task " + event.taskId() + " has sequence " + event.sequence()
					+ " but the last applied is " + last);
		}

	}

}
