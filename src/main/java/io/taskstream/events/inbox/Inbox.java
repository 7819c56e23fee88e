package io.taskstream.events.inbox;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import io.taskstream.events.TaskEvent;
import io.taskstream.events.TaskEventHandler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A subscriber role's record of the task events it has applied, kept in the role's own
 * schema ({@code processed_events}, {@code task_sequences} and {@code parked_events}) and
 * written in the same transaction as the event's effect. It gives two guarantees:
 * <ul>
 * <li>exactly-once effect: a duplicate delivery changes nothing;</li>
 * <li>per-task order: a task's events carry consecutive sequences but travel on different
 * topics, which Kafka does not order among themselves, so an event that arrives before
 * its predecessor is <em>parked</em> (stored, and answered SUCCESS) and applied in the
 * same transaction as the predecessor, the moment that one is in.</li>
 * </ul>
 * Parking rather than asking for redelivery keeps the Kafka partition moving: a RETRY
 * would hold up every event behind it for the sidecar's back-off, and on
 * {@code task.replay}, where a task's events share one partition, it would hold up the
 * very predecessor it waits for.
 * <p>
 * The wait for a predecessor is not bounded by a timer: a late predecessor is normal (a
 * consumer catching up, the sidecar's retries, a dead letter that an operator redrives)
 * and applying its successors without it would lose its effect for good (a projection
 * ignores a stale event). A gap that lasts is made visible instead ({@link InboxGaps}:
 * gauges, an alert, an operator listing), and only an operator closes it without the
 * predecessor ({@link #skip(long)}). A predecessor that arrives after its gap was skipped
 * is <em>late</em>: a projection ignores it, as it would any stale event, while the event
 * store, whose job is the complete history, still takes it; either way it is logged.
 */
public final class Inbox {

	private static final Log log = LogFactory.getLog(Inbox.class);

	private static final JsonMapper json = JsonMapper.builder().build();

	/** Parked events whose turn has come retried per {@link #applyReady()} call. */
	private static final int READY_BATCH = 100;

	/** What became of a delivered event. */
	public enum Result {

		/** Its effect ran (and changed something). */
		APPLIED,

		/** A duplicate, a stale event, or an effect that changed nothing. */
		IGNORED,

		/** It came before its predecessor; it is applied when that one is. */
		PARKED

	}

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	/**
	 * A savepoint inside {@link #transaction}, for each parked event applied after it.
	 */
	private final TransactionTemplate savepoint;

	private final String schema;

	private final TaskEventHandler effect;

	private final boolean keepLateEvents;

	private final Clock clock;

	/**
	 * @param schema the role's schema, e.g. {@code analytics}
	 * @param effect what the role does with an event, run inside the inbox's transaction
	 * @param keepLateEvents whether an event that arrives after its task moved past it is
	 * still applied (the event store) rather than ignored as stale (projections)
	 */
	public Inbox(JdbcClient jdbc, TransactionTemplate transaction, String schema, TaskEventHandler effect,
			boolean keepLateEvents, Clock clock) {
		this.jdbc = jdbc;
		this.transaction = transaction;
		this.savepoint = new TransactionTemplate(transaction.getTransactionManager());
		this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
		this.schema = schema;
		this.effect = effect;
		this.keepLateEvents = keepLateEvents;
		this.clock = clock;
	}

	/** The role's schema, which also names the inbox in logs. */
	public String schema() {
		return this.schema;
	}

	/**
	 * Runs the effect once per event and in each task's sequence order, in one
	 * transaction with the record of it; then, in the same transaction, the task's parked
	 * events that can now follow.
	 */
	public Result process(TaskEvent event) {
		return process(event, false);
	}

	private Result process(TaskEvent event, boolean fromParked) {
		return this.transaction.execute((status) -> processLocked(event, lockLastSequence(event.taskId()), fromParked));
	}

	/** {@link #process(TaskEvent)}'s work, in a transaction that holds the task's row. */
	private Result processLocked(TaskEvent event, long last, boolean fromParked) {
		if (event.sequence() > last + 1) {
			// however long it has waited: only its predecessor or an operator's skip
			// takes it out
			park(event);
			return Result.PARKED;
		}
		Applied applied = apply(event, last, fromParked);
		applyParkedSuccessors(event.taskId(), applied.successorsParked());
		return applied.result();
	}

	/**
	 * {@link #process(TaskEvent)} for a batch, in one transaction, with the same
	 * guarantees per event: each is applied once, in its task's sequence order (a task's
	 * events in one batch apply in the batch's order, an early one parked as ever), and
	 * one that fails changes nothing and marks no other as done.
	 * <p>
	 * The batch runs first without savepoints (the common case costs no extra round
	 * trips). If an event fails, that transaction rolls back as a whole and the batch
	 * runs once more with a savepoint per event, so only the failing ones roll back; if
	 * that transaction fails too (the database is gone), every event failed. The rows of
	 * the batch's tasks are locked up front in ascending id order, so that two batches
	 * sharing tasks wait for each other instead of deadlocking, and the events apply
	 * grouped by user, for the same reason ({@link #byUser}).
	 * @param events the batch, in delivery order
	 * @param scope runs each event's work (by its index in the batch), e.g. in its own
	 * trace
	 * @return what became of each event, in the batch's order
	 */
	List<Processed> processAll(List<TaskEvent> events, EntryScope scope) {
		if (events.isEmpty()) {
			return List.of();
		}
		List<Integer> order = byUser(events);
		try {
			return applyBatch(events, order, scope, false);
		}
		catch (RuntimeException first) {
			if (events.size() == 1) {
				return List.of(Processed.failed(first));
			}
			log.info(this.schema + " takes a batch of " + events.size()
					+ " events again, each in a savepoint, after one failed: " + first);
		}
		try {
			return applyBatch(events, order, scope, true);
		}
		catch (RuntimeException again) {
			return events.stream().map((event) -> Processed.failed(again)).toList();
		}
	}

	/**
	 * One transaction over the batch, in {@code order}. Without savepoints an event's
	 * failure rolls back the whole transaction (it is thrown); with them only that event
	 * rolls back and is answered failed.
	 */
	private List<Processed> applyBatch(List<TaskEvent> events, List<Integer> order, EntryScope scope,
			boolean savepoints) {
		return this.transaction.execute((status) -> {
			lockInOrder(events);
			Processed[] processed = new Processed[events.size()];
			for (int i : order) {
				TaskEvent event = events.get(i);
				Supplier<Result> apply = () -> processLocked(event, lastSequence(event.taskId()), false);
				if (!savepoints) {
					processed[i] = Processed.of(scope.run(i, apply));
					continue;
				}
				try {
					processed[i] = Processed.of(scope.run(i, () -> this.savepoint.execute((nested) -> apply.get())));
				}
				catch (RuntimeException ex) {
					processed[i] = Processed.failed(ex);
				}
			}
			return List.of(processed);
		});
	}

	/**
	 * The order to apply a batch in: by user, and within a user as delivered (so each
	 * task's events keep their order, a task having one owner). The effects lock rows per
	 * user (counters, the live streams' locks) until the batch commits; taking them in
	 * one order keeps two batches that share users from deadlocking.
	 */
	private static List<Integer> byUser(List<TaskEvent> events) {
		List<Integer> order = new ArrayList<>(events.size());
		for (int i = 0; i < events.size(); i++) {
			order.add(i);
		}
		order.sort(Comparator.comparing((Integer i) -> String.valueOf(events.get(i).userId())));
		return order;
	}

	/**
	 * Locks (creating where new) the rows of a batch's tasks in ascending id order, in
	 * one statement.
	 */
	private void lockInOrder(List<TaskEvent> events) {
		List<Long> tasks = events.stream().map(TaskEvent::taskId).distinct().sorted().toList();
		this.jdbc
			.sql("INSERT INTO " + this.schema + ".task_sequences AS s (task_id, last_sequence)"
					+ " SELECT t, 0 FROM unnest(ARRAY[:tasks]::bigint[]) AS t ORDER BY t"
					+ " ON CONFLICT (task_id) DO UPDATE SET last_sequence = s.last_sequence")
			.param("tasks", tasks)
			.update();
	}

	/** Runs one event's work of a batch. */
	@FunctionalInterface
	interface EntryScope {

		/** The work as is. */
		EntryScope DIRECT = (index, work) -> work.get();

		Result run(int index, Supplier<Result> work);

	}

	/**
	 * What became of one event of a batch: a result, or the failure that rolled its work
	 * back (the event is to come again).
	 */
	record Processed(Result result, RuntimeException failure) {

		static Processed of(Result result) {
			return new Processed(result, null);
		}

		static Processed failed(RuntimeException failure) {
			return new Processed(null, failure);
		}

	}

	/**
	 * Applies the task's parked events whose turn has come, each in a savepoint of the
	 * current transaction.
	 */
	private void applyParkedSuccessors(long taskId, boolean successorsParked) {
		while (successorsParked) {
			Optional<TaskEvent> next = nextParked(taskId);
			if (next.isEmpty()) {
				break;
			}
			try {
				successorsParked = this.savepoint
					.execute((nested) -> apply(next.get(), next.get().sequence() - 1, true))
					.successorsParked();
			}
			catch (RuntimeException ex) {
				// the event applied before still commits; this one stays parked for
				// applyReady
				log.warn(this.schema + " could not apply parked event " + next.get().eventId() + " (sequence "
						+ next.get().sequence() + " of task " + taskId + "), leaves it parked: " + ex);
				break;
			}
		}
	}

	/**
	 * Retries the parked events whose predecessor is in but which failed to apply right
	 * after it (a database hiccup in their savepoint). Called every few seconds by
	 * {@link Inboxes}. An event still waiting for its predecessor is never touched here.
	 * One that fails again stays parked and does not stop the others.
	 * @return how many ready events were taken up
	 */
	public int applyReady() {
		List<String> ready = this.jdbc
			.sql("SELECT p.event FROM " + this.schema + ".parked_events p JOIN " + this.schema
					+ ".task_sequences s ON s.task_id = p.task_id WHERE p.sequence = s.last_sequence + 1"
					+ " ORDER BY p.parked_at, p.sequence LIMIT :limit")
			.param("limit", READY_BATCH)
			.query(String.class)
			.list();
		for (String row : ready) {
			TaskEvent event = json.readValue(row, TaskEvent.class);
			try {
				process(event, true);
			}
			catch (RuntimeException ex) {
				log.warn(this.schema + " could not apply parked event " + event.eventId() + " (will try again): " + ex);
			}
		}
		return ready.size();
	}

	/**
	 * An operator's decision to stop waiting: applies all the task's parked events in
	 * sequence order without the missing ones, in one transaction (which the caller may
	 * extend to record the decision). A missing event that arrives afterwards is late.
	 * @return what was skipped and applied, or empty if the task has no parked event
	 */
	public Optional<Skipped> skip(long taskId) {
		return this.transaction.execute((status) -> {
			if (parkedEvents(taskId).isEmpty()) {
				// checked before the lock, which would insert a row for an unknown task
				return Optional.empty();
			}
			long last = lockLastSequence(taskId);
			List<TaskEvent> parked = parkedEvents(taskId);
			if (parked.isEmpty()) {
				return Optional.empty();
			}
			List<Long> skipped = new ArrayList<>();
			List<Long> applied = new ArrayList<>();
			long expected = last + 1;
			for (TaskEvent event : parked) {
				for (long missing = expected; missing < event.sequence(); missing++) {
					skipped.add(missing);
				}
				apply(event, Math.max(last, event.sequence() - 1), true);
				applied.add(event.sequence());
				expected = event.sequence() + 1;
				last = Math.max(last, event.sequence());
			}
			return Optional.of(new Skipped(taskId, parked.get(0).userId(), skipped, applied));
		});
	}

	/**
	 * What an operator's {@link #skip(long)} did.
	 *
	 * @param skipped the sequences given up on
	 * @param applied the parked sequences applied without them
	 */
	public record Skipped(long taskId, String userId, List<Long> skipped, List<Long> applied) {
	}

	private List<TaskEvent> parkedEvents(long taskId) {
		return this.jdbc
			.sql("SELECT event FROM " + this.schema + ".parked_events WHERE task_id = :task ORDER BY sequence")
			.param("task", taskId)
			.query(String.class)
			.list()
			.stream()
			.map((event) -> json.readValue(event, TaskEvent.class))
			.toList();
	}

	/**
	 * The task's last applied sequence (0 for a new task), its row locked until the
	 * transaction ends; one statement, since this runs for every event.
	 */
	private long lockLastSequence(long taskId) {
		return this.jdbc
			.sql("INSERT INTO " + this.schema + ".task_sequences AS s (task_id, last_sequence) VALUES (:task, 0)"
					+ " ON CONFLICT (task_id) DO UPDATE SET last_sequence = s.last_sequence RETURNING last_sequence")
			.param("task", taskId)
			.query(Long.class)
			.single();
	}

	/**
	 * The last applied sequence of a task whose row this transaction already locked
	 * ({@link #lockInOrder}): a plain read, where {@link #lockLastSequence} writes a new
	 * row version for every event.
	 */
	private long lastSequence(long taskId) {
		return this.jdbc.sql("SELECT last_sequence FROM " + this.schema + ".task_sequences WHERE task_id = :task")
			.param("task", taskId)
			.query(Long.class)
			.single();
	}

	private void park(TaskEvent event) {
		this.jdbc
			.sql("INSERT INTO " + this.schema + ".parked_events (event_id, task_id, sequence, parked_at, event)"
					+ " VALUES (:id, :task, :sequence, :at, CAST(:event AS json)) ON CONFLICT DO NOTHING")
			.param("id", event.eventId())
			.param("task", event.taskId())
			.param("sequence", event.sequence())
			.param("at", utc(this.clock.instant()))
			.param("event", json.writeValueAsString(event))
			.update();
	}

	/**
	 * Records and applies an event whose turn it is (or a late one), with the task's row
	 * locked.
	 * @param parked whether the event is in {@code parked_events}, to be taken out
	 */
	private Applied apply(TaskEvent event, long last, boolean parked) {
		if (parked || event.sequence() <= last) {
			this.jdbc.sql("DELETE FROM " + this.schema + ".parked_events WHERE event_id = :id")
				.param("id", event.eventId())
				.update();
		}
		int inserted = this.jdbc
			.sql("INSERT INTO " + this.schema + ".processed_events (event_id) VALUES (:id) ON CONFLICT DO NOTHING")
			.param("id", event.eventId())
			.update();
		if (inserted == 0) {
			return new Applied(Result.IGNORED, false);
		}
		if (event.sequence() <= last) {
			boolean kept = this.keepLateEvents && this.effect.handle(event);
			log.warn(this.schema + " got sequence " + event.sequence() + " of task " + event.taskId()
					+ " after the task moved on to " + last + " (its gap was skipped, or it was rebuilt): "
					+ (kept ? "kept it" : "ignored it"));
			return new Applied(kept ? Result.APPLIED : Result.IGNORED, false);
		}
		boolean successorsParked = this.jdbc
			.sql("UPDATE " + this.schema + ".task_sequences SET last_sequence = :sequence WHERE task_id = :task"
					+ " RETURNING EXISTS (SELECT 1 FROM " + this.schema + ".parked_events WHERE task_id = :task)")
			.param("sequence", event.sequence())
			.param("task", event.taskId())
			.query(Boolean.class)
			.single();
		return new Applied(this.effect.handle(event) ? Result.APPLIED : Result.IGNORED, successorsParked);
	}

	/** The task's parked event whose turn it is now, if it has come. */
	private Optional<TaskEvent> nextParked(long taskId) {
		return this.jdbc
			.sql("SELECT p.event FROM " + this.schema + ".parked_events p JOIN " + this.schema
					+ ".task_sequences s ON s.task_id = p.task_id"
					+ " WHERE p.task_id = :task AND p.sequence = s.last_sequence + 1")
			.param("task", taskId)
			.query(String.class)
			.optional()
			.map((event) -> json.readValue(event, TaskEvent.class));
	}

	/**
	 * @param result what became of the event
	 * @param successorsParked whether the task has parked events (that may follow it now)
	 */
	private record Applied(Result result, boolean successorsParked) {
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
