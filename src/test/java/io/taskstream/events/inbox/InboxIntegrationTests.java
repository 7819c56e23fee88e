package io.taskstream.events.inbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.taskstream.IntegrationTest;
import io.taskstream.events.EventType;
import io.taskstream.events.EventsProperties;
import io.taskstream.events.Subscriber;
import io.taskstream.events.TaskEvent;
import io.taskstream.events.TaskSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The inbox's order guard against the real schema: an event that comes before its
 * predecessor is parked and applied right after it, but waits for it only so long.
 */
@IntegrationTest
class InboxIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(60);

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transaction;

	MutableClock clock = new MutableClock();

	List<Long> applied = new ArrayList<>();

	long task = ThreadLocalRandom.current().nextLong(1_000_000_000L, Long.MAX_VALUE);

	/**
	 * An inbox schema of the test's own (the roles' tables, copied), so that neither the
	 * application's overdue sweeper nor another test's events meet these.
	 */
	String schema = "inbox_test_" + Long.toHexString(this.task);

	@BeforeEach
	void createTheInboxTables() {
		this.jdbc.sql("CREATE SCHEMA " + this.schema).update();
		for (String table : List.of("processed_events", "task_sequences", "parked_events")) {
			this.jdbc.sql("CREATE TABLE " + this.schema + "." + table + " (LIKE analytics." + table + " INCLUDING ALL)")
				.update();
		}
	}

	@AfterEach
	void dropThem() {
		this.jdbc.sql("DROP SCHEMA " + this.schema + " CASCADE").update();
	}

	@Test
	void eventsBeforeTheirPredecessorAreParkedAndAppliedRightAfterIt() {
		Inbox inbox = inbox(false);
		TaskEvent third = event(3);
		TaskEvent second = event(2);
		assertThat(inbox.process(third)).isEqualTo(Inbox.Result.PARKED);
		assertThat(inbox.process(second)).isEqualTo(Inbox.Result.PARKED);
		assertThat(inbox.process(third)).as("a redelivery of a parked event").isEqualTo(Inbox.Result.PARKED);
		assertThat(this.applied).isEmpty();
		assertThat(parked()).isEqualTo(2);

		assertThat(inbox.process(event(1))).isEqualTo(Inbox.Result.APPLIED);

		assertThat(this.applied).containsExactly(1L, 2L, 3L);
		assertThat(parked()).isZero();
		assertThat(inbox.process(second)).as("a duplicate").isEqualTo(Inbox.Result.IGNORED);
		assertThat(inbox.process(third)).as("a duplicate").isEqualTo(Inbox.Result.IGNORED);
		assertThat(this.applied).containsExactly(1L, 2L, 3L);
	}

	@Test
	void aParkedEventThatFailsStaysParkedWithoutTakingItsPredecessorDown() {
		List<Long> failOn = new ArrayList<>(List.of(2L));
		Inbox inbox = new Inbox(this.jdbc, this.transaction, this.schema, (event) -> {
			if (failOn.remove(event.sequence())) {
				throw new IllegalStateException("database hiccup");
			}
			return this.applied.add(event.sequence());
		}, WAIT, false, this.clock);
		assertThat(inbox.process(event(2))).isEqualTo(Inbox.Result.PARKED);
		assertThat(inbox.process(event(1))).isEqualTo(Inbox.Result.APPLIED);
		assertThat(this.applied).containsExactly(1L);
		assertThat(processed()).as("1 committed, 2 rolled back to its savepoint").isEqualTo(1);
		assertThat(parked()).isEqualTo(1);

		this.clock.advance(WAIT);
		assertThat(inbox.applyOverdue()).isEqualTo(1);
		assertThat(this.applied).containsExactly(1L, 2L);
		assertThat(processed()).isEqualTo(2);
		assertThat(parked()).isZero();
	}

	@Test
	void anOverdueEventThatFailsDoesNotHoldUpTheOthers() {
		long otherTask = this.task + 1;
		Inbox inbox = new Inbox(this.jdbc, this.transaction, this.schema, (event) -> {
			if (event.taskId() == this.task) {
				throw new IllegalStateException("always fails");
			}
			return this.applied.add(event.sequence());
		}, WAIT, false, this.clock);
		assertThat(inbox.process(event(2))).isEqualTo(Inbox.Result.PARKED);
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(inbox.process(event(otherTask, 3))).isEqualTo(Inbox.Result.PARKED);
		this.clock.advance(WAIT);

		assertThat(inbox.applyOverdue()).isEqualTo(2);
		assertThat(this.applied).containsExactly(3L);
		assertThat(parked()).as("the failing one waits for the next sweep").isEqualTo(1);
	}

	@Test
	void aMissingPredecessorIsWaitedForOnlyForTheOrderWait() {
		Inbox inbox = inbox(false);
		assertThat(inbox.process(event(2))).isEqualTo(Inbox.Result.PARKED);
		this.clock.advance(Duration.ofSeconds(10));
		assertThat(inbox.process(event(4))).isEqualTo(Inbox.Result.PARKED);
		this.clock.advance(WAIT.minusSeconds(11));
		assertThat(inbox.applyOverdue()).as("nothing is due a second before").isZero();
		assertThat(this.applied).isEmpty();

		this.clock.advance(Duration.ofSeconds(1));
		assertThat(inbox.applyOverdue()).isEqualTo(1);
		assertThat(this.applied).as("2 without 1; 4 still waits for 3").containsExactly(2L);

		assertThat(inbox.process(event(3))).isEqualTo(Inbox.Result.APPLIED);
		assertThat(this.applied).as("3 brings 4 along").containsExactly(2L, 3L, 4L);
		assertThat(inbox.process(event(1))).as("the skipped predecessor, redriven late")
			.isEqualTo(Inbox.Result.IGNORED);
		assertThat(this.applied).containsExactly(2L, 3L, 4L);
		assertThat(parked()).isZero();
	}

	@Test
	void anEventParkedBehindOneThatGaveUpWaitingIsTakenOutAsStale() {
		Inbox inbox = inbox(false);
		assertThat(inbox.process(event(4))).isEqualTo(Inbox.Result.PARKED);
		this.clock.advance(WAIT.dividedBy(2));
		assertThat(inbox.process(event(3))).isEqualTo(Inbox.Result.PARKED);
		this.clock.advance(WAIT.dividedBy(2));
		assertThat(inbox.applyOverdue()).as("4 is due, 3 not yet").isEqualTo(1);
		assertThat(this.applied).containsExactly(4L);
		assertThat(parked()).isEqualTo(1);

		this.clock.advance(WAIT.dividedBy(2));
		assertThat(inbox.applyOverdue()).isEqualTo(1);
		assertThat(this.applied).as("3 came too late for a projection").containsExactly(4L);
		assertThat(parked()).isZero();
		assertThat(inbox.applyOverdue()).isZero();
	}

	@Test
	void theEventStoreKeepsALatePredecessor() {
		Inbox inbox = inbox(true);
		TaskEvent third = event(3);
		assertThat(inbox.process(third)).isEqualTo(Inbox.Result.PARKED);
		this.clock.advance(WAIT);
		assertThat(inbox.applyOverdue()).isEqualTo(1);
		TaskEvent first = event(1);
		assertThat(inbox.process(first)).isEqualTo(Inbox.Result.APPLIED);
		assertThat(inbox.process(first)).as("still exactly once").isEqualTo(Inbox.Result.IGNORED);
		assertThat(inbox.process(third)).as("still exactly once").isEqualTo(Inbox.Result.IGNORED);
		assertThat(this.applied).containsExactly(3L, 1L);
	}

	@Test
	void theWaitIsCountedFromWhenTheEventWasParkedNotFromItsAge() {
		Inbox inbox = inbox(false);
		this.clock.advance(Duration.ofDays(1));
		TaskEvent second = event(2);
		assertThat(inbox.process(second)).isEqualTo(Inbox.Result.PARKED);
		assertThat(inbox.applyOverdue()).isZero();
		this.clock.advance(WAIT);
		assertThat(inbox.process(second)).as("a redelivery after the wait applies it").isEqualTo(Inbox.Result.APPLIED);
		assertThat(this.applied).containsExactly(2L);
	}

	@Test
	void theSweeperAppliesOverdueEventsOnItsOwn() {
		Inboxes inboxes = new Inboxes(this.jdbc, this.transaction,
				new EventsProperties(EventsProperties.Transport.IN_PROCESS, null, null, null, Duration.ofMillis(300)));
		Inbox inbox = inboxes.inbox(Subscriber.projection(this.schema, (event) -> this.applied.add(event.sequence())));
		inboxes.start();
		try {
			assertThat(inbox.process(event(2))).isEqualTo(Inbox.Result.PARKED);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(this.applied).containsExactly(2L));
			assertThat(parked()).isZero();
		}
		finally {
			inboxes.stop();
		}
	}

	Inbox inbox(boolean keepLate) {
		return new Inbox(this.jdbc, this.transaction, this.schema, (event) -> this.applied.add(event.sequence()), WAIT,
				keepLate, this.clock);
	}

	long processed() {
		return this.jdbc.sql("SELECT count(*) FROM " + this.schema + ".processed_events").query(Long.class).single();
	}

	long parked() {
		return this.jdbc.sql("SELECT count(*) FROM " + this.schema + ".parked_events").query(Long.class).single();
	}

	TaskEvent event(long sequence) {
		return event(this.task, sequence);
	}

	TaskEvent event(long task, long sequence) {
		Instant at = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(sequence);
		return new TaskEvent(UUID.randomUUID(), EventType.UPDATED.value(), TaskEvent.SCHEMA_VERSION, task, "inbox-user",
				at, sequence,
				new TaskEvent.Data(new TaskSnapshot(task, "t", null, "OPEN", "LOW", null, null, at, at, null, sequence),
						null),
				new TaskEvent.Metadata("api", null, sequence));
	}

	static final class MutableClock extends Clock {

		private Instant now = Instant.parse("2026-01-01T00:00:00Z");

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

	}

}
