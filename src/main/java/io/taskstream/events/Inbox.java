package io.taskstream.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

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
 * The wait for a predecessor is bounded: a predecessor may never come (it was
 * dead-lettered, or lost to a wiped topic), and waiting for it forever would hold up its
 * task and, through RETRY, the Kafka partition it shares with other tasks. Once an event
 * has been refused for {@code orderWait} it is applied and the missing sequences are
 * skipped, with a warning. A skipped event that arrives after all (a redrive) is
 * <em>late</em>: a projection ignores it, as it would any stale event, while the event
 * store, whose job is the complete history, still takes it.
 */
public final class Inbox {

	private static final Log log = LogFactory.getLog(Inbox.class);

	/** Beyond this many refused events, forget those refused long ago. */
	private static final int MAX_TRACKED_WAITS = 10_000;

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final String schema;

	private final Duration orderWait;

	private final boolean keepLateEvents;

	private final Clock clock;

	/** When each event now waiting for its predecessor was first refused. */
	private final Map<UUID, Instant> waiting = new ConcurrentHashMap<>();

	/**
	 * @param schema the role's schema, e.g. {@code analytics}
	 * @param orderWait how long an event waits for a missing predecessor
	 * @param keepLateEvents whether an event that arrives after its task moved past it is
	 * still applied (the event store) rather than ignored as stale (projections)
	 */
	public Inbox(JdbcClient jdbc, TransactionTemplate transaction, String schema, Duration orderWait,
			boolean keepLateEvents, Clock clock) {
		this.jdbc = jdbc;
		this.transaction = transaction;
		this.schema = schema;
		this.orderWait = orderWait;
		this.keepLateEvents = keepLateEvents;
		this.clock = clock;
	}

	/**
	 * Runs the effect once per event and in each task's sequence order, in one
	 * transaction with the record of it.
	 * @return {@code false} for a duplicate or stale event, else what the effect said
	 * @throws OutOfOrderException if the task's previous event has not been applied yet
	 * and the event has not waited for it for {@code orderWait}
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
				return this.keepLateEvents && effect.getAsBoolean();
			}
			if (event.sequence() > last + 1 && !waitedLongEnough(event)) {
				throw new OutOfOrderException(event, last);
			}
			if (event.sequence() > last + 1) {
				log.warn(this.schema + " gives up waiting for sequences " + (last + 1) + ".." + (event.sequence() - 1)
						+ " of task " + event.taskId() + " after " + this.orderWait + "; applying event "
						+ event.eventId() + " (sequence " + event.sequence() + ") without them");
			}
			this.jdbc
				.sql("UPDATE " + this.schema + ".task_sequences SET last_sequence = :sequence WHERE task_id = :task")
				.param("sequence", event.sequence())
				.param("task", event.taskId())
				.update();
			return effect.getAsBoolean();
		});
		this.waiting.remove(event.eventId());
		return Boolean.TRUE.equals(result);
	}

	private boolean waitedLongEnough(TaskEvent event) {
		Instant now = this.clock.instant();
		if (this.waiting.size() > MAX_TRACKED_WAITS) {
			this.waiting.values().removeIf((since) -> since.isBefore(now.minus(this.orderWait.multipliedBy(10))));
		}
		Instant since = this.waiting.computeIfAbsent(event.eventId(), (id) -> now);
		return !now.isBefore(since.plus(this.orderWait));
	}

	/** The event came before its predecessor; deliver it again later. */
	public static final class OutOfOrderException extends RuntimeException {

		OutOfOrderException(TaskEvent event, long last) {
			super("event " + event.eventId() + " of task " + event.taskId() + " has sequence " + event.sequence()
					+ " but the last applied is " + last);
		}

	}

}
