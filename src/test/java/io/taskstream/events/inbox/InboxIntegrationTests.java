package io.taskstream.events.inbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.taskstream.IntegrationTest;
import io.taskstream.MutableClock;
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
import static org.awaitility.Awaitility.await;

/**
 * The inbox's order guard against the real schema: an event that comes before its
 * predecessor is parked and applied right after it, however late that is; only an
 * operator's skip lets it through without.
 */
@IntegrationTest
class InboxIntegrationTests {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transaction;

	MutableClock clock = new MutableClock();

	List<Long> applied = new ArrayList<>();

	long task = ThreadLocalRandom.current().nextLong(1_000_000_000L, Long.MAX_VALUE);

	/**
	 * An inbox schema of the test's own (the roles' tables, copied), so that neither the
	 * application's sweeper nor another test's events meet these.
	 */
	String schema = "inbox_test_" + Long.toHexString(this.task);

	@BeforeEach
	void createTheInboxTables() {
		InboxTables.create(this.jdbc, this.schema);
	}

	@AfterEach
	void dropThem() {
		InboxTables.drop(this.jdbc, this.schema);
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
		}, false, this.clock);
		assertThat(inbox.process(event(2))).isEqualTo(Inbox.Result.PARKED);
		assertThat(inbox.process(event(1))).isEqualTo(Inbox.Result.APPLIED);
		assertThat(this.applied).containsExactly(1L);
		assertThat(processed()).as("1 committed, 2 rolled back to its savepoint").isEqualTo(1);
		assertThat(parked()).isEqualTo(1);

		assertThat(inbox.applyReady()).isEqualTo(1);
		assertThat(this.applied).containsExactly(1L, 2L);
		assertThat(processed()).isEqualTo(2);
		assertThat(parked()).isZero();
	}

	@Test
	void aReadyEventThatFailsAgainDoesNotHoldUpTheOthers() {
		long otherTask = this.task + 1;
		List<Long> failOnOtherTask = new ArrayList<>(List.of(2L));
		Inbox inbox = new Inbox(this.jdbc, this.transaction, this.schema, (event) -> {
			if (event.taskId() == this.task && event.sequence() == 2) {
				throw new IllegalStateException("always fails");
			}
			if (event.taskId() == otherTask && failOnOtherTask.remove(event.sequence())) {
				throw new IllegalStateException("fails once");
			}
			return this.applied.add(event.sequence());
		}, false, this.clock);
		inbox.process(event(2));
		inbox.process(event(1));
		inbox.process(event(otherTask, 2));
		inbox.process(event(otherTask, 1));
		assertThat(this.applied).containsExactly(1L, 1L);

		assertThat(inbox.applyReady()).isEqualTo(2);
		assertThat(this.applied).containsExactly(1L, 1L, 2L);
		assertThat(parked()).as("the failing one waits for the next retry").isEqualTo(1);
	}

	@Test
	void aMissingPredecessorIsWaitedForHoweverLateItIs() {
		Inbox inbox = inbox(false);
		TaskEvent second = event(2);
		assertThat(inbox.process(second)).isEqualTo(Inbox.Result.PARKED);
		this.clock.advance(Duration.ofMinutes(10));
		assertThat(inbox.process(second)).as("a redelivery ten minutes later").isEqualTo(Inbox.Result.PARKED);
		assertThat(inbox.applyReady()).as("2 is not ready without 1").isZero();
		this.clock.advance(Duration.ofDays(1));
		assertThat(inbox.applyReady()).isZero();
		assertThat(this.applied).isEmpty();

		assertThat(inbox.process(event(1))).isEqualTo(Inbox.Result.APPLIED);
		assertThat(this.applied).containsExactly(1L, 2L);
		assertThat(parked()).isZero();
	}

	@Test
	void aSkipAppliesTheParkedEventsWithoutTheMissingOnesAndALatePredecessorIsIgnored() {
		Inbox inbox = inbox(false);
		inbox.process(event(1));
		inbox.process(event(3));
		inbox.process(event(5));

		Inbox.Skipped skipped = inbox.skip(this.task).orElseThrow();

		assertThat(skipped.skipped()).containsExactly(2L, 4L);
		assertThat(skipped.applied()).containsExactly(3L, 5L);
		assertThat(skipped.userId()).isEqualTo("inbox-user");
		assertThat(this.applied).containsExactly(1L, 3L, 5L);
		assertThat(parked()).isZero();
		assertThat(inbox.process(event(4))).as("a projection ignores a late event").isEqualTo(Inbox.Result.IGNORED);
		assertThat(inbox.process(event(6))).isEqualTo(Inbox.Result.APPLIED);
		assertThat(this.applied).containsExactly(1L, 3L, 5L, 6L);
	}

	@Test
	void aSkipOfATaskWithNothingParkedChangesNothing() {
		Inbox inbox = inbox(false);
		inbox.process(event(1));

		assertThat(inbox.skip(this.task)).isEmpty();
		assertThat(inbox.skip(this.task + 7)).isEmpty();
		assertThat(this.jdbc.sql("SELECT count(*) FROM " + this.schema + ".task_sequences").query(Long.class).single())
			.as("no row for the unknown task")
			.isEqualTo(1);
	}

	@Test
	void theEventStoreKeepsAPredecessorThatArrivesAfterItsGapWasSkipped() {
		Inbox inbox = inbox(true);
		TaskEvent third = event(3);
		assertThat(inbox.process(third)).isEqualTo(Inbox.Result.PARKED);
		assertThat(inbox.skip(this.task)).isPresent();
		TaskEvent first = event(1);
		assertThat(inbox.process(first)).isEqualTo(Inbox.Result.APPLIED);
		assertThat(inbox.process(first)).as("still exactly once").isEqualTo(Inbox.Result.IGNORED);
		assertThat(inbox.process(third)).as("still exactly once").isEqualTo(Inbox.Result.IGNORED);
		assertThat(this.applied).containsExactly(3L, 1L);
	}

	@Test
	void theSweeperRetriesAReadyEventButNeverSkipsAGap() {
		Inboxes inboxes = new Inboxes(this.jdbc, this.transaction,
				new EventsProperties(EventsProperties.Transport.IN_PROCESS, null, null, null, Duration.ofMillis(300)));
		List<Long> failOn = new ArrayList<>(List.of(2L));
		Inbox inbox = inboxes.inbox(Subscriber.projection(this.schema, (event) -> {
			if (event.taskId() == this.task && failOn.remove(event.sequence())) {
				throw new IllegalStateException("database hiccup");
			}
			return this.applied.add(event.taskId() == this.task ? event.sequence() : -event.sequence());
		}));
		inboxes.start();
		try {
			assertThat(inbox.process(event(this.task + 1, 2))).as("another task, its 1 missing")
				.isEqualTo(Inbox.Result.PARKED);
			assertThat(inbox.process(event(2))).isEqualTo(Inbox.Result.PARKED);
			assertThat(inbox.process(event(1))).isEqualTo(Inbox.Result.APPLIED);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(this.applied).containsExactly(1L, 2L));
			assertThat(parked()).as("the other task still waits for its 1").isEqualTo(1);
		}
		finally {
			inboxes.stop();
		}
		assertThat(this.applied).doesNotContain(-2L);
	}

	Inbox inbox(boolean keepLate) {
		return new Inbox(this.jdbc, this.transaction, this.schema, (event) -> this.applied.add(event.sequence()),
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

}
