package io.taskstream.events.inbox;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import io.taskstream.events.EventsProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ordering gaps of an {@link Inbox}, for operators: which tasks have events parked
 * behind a missing predecessor, which sequences are missing and since when, how many are
 * overdue ({@code taskstream.events.gap-alert-after}), and the explicit skips, each
 * recorded in the role's {@code skipped_gaps} table in the same transaction as the events
 * it let through.
 */
@Component
class InboxGaps {

	private static final Log log = LogFactory.getLog(InboxGaps.class);

	/** Tasks listed per call: an operator needs the oldest, not all of a pile-up. */
	private static final int LISTED = 500;

	/** Skips listed as history per call, newest first. */
	private static final int HISTORY = 100;

	/**
	 * Missing sequences listed per task; the first and the count tell the rest, should a
	 * task's sequence ever jump far.
	 */
	private static final int MISSING_LISTED = 1000;

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final Duration alertAfter;

	private final Clock clock;

	@Autowired
	InboxGaps(JdbcClient jdbc, TransactionTemplate transaction, EventsProperties properties, Environment environment) {
		this(jdbc, transaction, properties.gapAlertAfter(), Clock.systemUTC());
		if (environment.containsProperty("taskstream.events.order-wait")) {
			// it used to apply parked events without their predecessor; keeping its value
			// as the alert threshold would quietly change what it means
			log.warn("taskstream.events.order-wait is no longer used: a parked event now waits for its"
					+ " predecessor however long it takes. Remove it; taskstream.events.gap-alert-after ("
					+ this.alertAfter + ") says when a gap is overdue, and an operator may skip a gap through the"
					+ " gaps API.");
		}
	}

	InboxGaps(JdbcClient jdbc, TransactionTemplate transaction, Duration alertAfter, Clock clock) {
		this.jdbc = jdbc;
		this.transaction = transaction;
		this.alertAfter = alertAfter;
		this.clock = clock;
	}

	/** The inbox's gaps, oldest first, and its latest skips. */
	Report report(Inbox inbox) {
		Instant now = this.clock.instant();
		List<Gap> gaps = this.jdbc.sql("""
				SELECT p.task_id, min(p.event->>'userId') AS user_id, coalesce(s.last_sequence, 0) AS last_sequence,
				       array_agg(p.sequence ORDER BY p.sequence) AS held, min(p.parked_at) AS since
				FROM %1$s.parked_events p LEFT JOIN %1$s.task_sequences s ON s.task_id = p.task_id
				GROUP BY p.task_id, s.last_sequence
				ORDER BY since, p.task_id LIMIT :limit
				""".formatted(inbox.schema())).param("limit", LISTED).query((rs, n) -> {
			long last = rs.getLong("last_sequence");
			List<Long> held = longs(rs.getArray("held"));
			Instant since = instant(rs, "since");
			Duration waiting = Duration.between(since, now);
			return new Gap(rs.getLong("task_id"), rs.getString("user_id"), last, held, missing(last, held), since,
					Math.max(0, waiting.toSeconds()), waiting.compareTo(this.alertAfter) >= 0);
		}).list();
		return new Report(inbox.schema(), this.alertAfter.toSeconds(), gaps, skips(inbox));
	}

	/**
	 * Lets the task's parked events through without their missing predecessors and
	 * records who did it, in one transaction.
	 * @return the record, or empty if the task has no parked event in this inbox
	 */
	Optional<Skip> skip(Inbox inbox, long taskId, String by) {
		return this.transaction.execute((status) -> inbox.skip(taskId).map((skipped) -> {
			Instant at = this.clock.instant();
			long id = this.jdbc.sql("""
					INSERT INTO %s.skipped_gaps (task_id, user_id, skipped_sequences, applied_sequences, skipped_by,
					                             skipped_at)
					VALUES (:task, :user, :skipped, :applied, :by, :at) RETURNING id
					""".formatted(inbox.schema()))
				.param("task", taskId)
				.param("user", skipped.userId())
				.param("skipped", skipped.skipped().toArray(Long[]::new))
				.param("applied", skipped.applied().toArray(Long[]::new))
				.param("by", by)
				.param("at", at.atOffset(ZoneOffset.UTC))
				.query(Long.class)
				.single();
			log.warn(inbox.schema() + ": " + by + " skipped sequences " + skipped.skipped() + " of task " + taskId
					+ " (user " + skipped.userId() + "), applied " + skipped.applied() + " without them");
			return new Skip(id, taskId, skipped.userId(), skipped.skipped(), skipped.applied(), by, at);
		}));
	}

	/** What the gauges show, read in one statement. */
	Stats stats(Inbox inbox) {
		return this.jdbc.sql("""
				SELECT count(*) AS parked, min(parked_at) AS oldest,
				       count(DISTINCT task_id) FILTER (WHERE parked_at <= :due) AS overdue
				FROM %s.parked_events
				""".formatted(inbox.schema()))
			.param("due", this.clock.instant().minus(this.alertAfter).atOffset(ZoneOffset.UTC))
			.query((rs, n) -> {
				Instant oldest = instant(rs, "oldest");
				double age = (oldest != null)
						? Math.max(0, Duration.between(oldest, this.clock.instant()).toMillis() / 1000.0) : 0;
				return new Stats(rs.getLong("parked"), age, rs.getLong("overdue"));
			})
			.single();
	}

	private List<Skip> skips(Inbox inbox) {
		return this.jdbc.sql("""
				SELECT id, task_id, user_id, skipped_sequences, applied_sequences, skipped_by, skipped_at
				FROM %s.skipped_gaps ORDER BY id DESC LIMIT :limit
				""".formatted(inbox.schema()))
			.param("limit", HISTORY)
			.query((rs, n) -> new Skip(rs.getLong("id"), rs.getLong("task_id"), rs.getString("user_id"),
					longs(rs.getArray("skipped_sequences")), longs(rs.getArray("applied_sequences")),
					rs.getString("skipped_by"), instant(rs, "skipped_at")))
			.list();
	}

	/** The sequences after the last applied one, up to the highest parked, not held. */
	private static List<Long> missing(long last, List<Long> held) {
		Set<Long> present = new HashSet<>(held);
		long highest = held.get(held.size() - 1);
		List<Long> missing = new ArrayList<>();
		for (long sequence = last + 1; sequence < highest && missing.size() < MISSING_LISTED; sequence++) {
			if (!present.contains(sequence)) {
				missing.add(sequence);
			}
		}
		return missing;
	}

	private static List<Long> longs(Array array) throws SQLException {
		return Arrays.stream((Long[]) array.getArray()).toList();
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
		return (time != null) ? time.toInstant() : null;
	}

	/**
	 * @param role the inbox's role (its schema)
	 * @param alertAfterSeconds the age at which a gap is overdue
	 * @param gaps the tasks with parked events, the longest waiting first
	 * @param skipped the latest explicit skips, newest first
	 */
	record Report(String role, long alertAfterSeconds, List<Gap> gaps, List<Skip> skipped) {
	}

	/**
	 * One task waiting for events.
	 *
	 * @param lastApplied the task's last applied sequence (0: none yet)
	 * @param held the parked sequences
	 * @param missing the sequences it waits for (none: its next event is in but failed to
	 * apply, and is retried)
	 * @param since when its oldest parked event was parked
	 * @param overdue whether it has waited the gap alert threshold
	 */
	record Gap(long taskId, String userId, long lastApplied, List<Long> held, List<Long> missing, Instant since,
			long waitingSeconds, boolean overdue) {
	}

	/**
	 * An operator's skip.
	 *
	 * @param skipped the sequences given up on
	 * @param applied the parked sequences applied without them
	 * @param skippedBy the operator's identity, or {@code operator} when it has none
	 */
	record Skip(long id, long taskId, String userId, List<Long> skipped, List<Long> applied, String skippedBy,
			Instant skippedAt) {
	}

	/**
	 * @param parked events parked
	 * @param oldestSeconds how long the oldest has waited (0 when none)
	 * @param overdue tasks whose gap has waited the alert threshold
	 */
	record Stats(long parked, double oldestSeconds, long overdue) {
	}

}
