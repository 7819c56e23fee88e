package io.taskstream.events.inbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.taskstream.IntegrationTest;
import io.taskstream.MutableClock;
import io.taskstream.events.CloudEvents;
import io.taskstream.events.EventType;
import io.taskstream.events.Outcome;
import io.taskstream.events.TaskEvent;
import io.taskstream.events.TaskSnapshot;
import io.taskstream.events.metrics.EventMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch of deliveries (Dapr bulk subscribe) goes to the inbox in one transaction with
 * the guarantees of one event at a time: each entry is answered on its own, a duplicate
 * changes nothing, a task's events apply in sequence order (an early one parked), a
 * poison entry is dropped alone, and an entry whose effect fails rolls back alone and
 * marks no other as done. The effect writes a row in the same transaction, so what
 * commits is what the database shows.
 */
@IntegrationTest
class InboxBatchIntegrationTests {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transaction;

	@Autowired
	EventMetrics metrics;

	long taskA = ThreadLocalRandom.current().nextLong(1_000_000_000L, Long.MAX_VALUE - 10);

	long taskB = this.taskA + 1;

	String schema = "inbox_batch_" + Long.toHexString(this.taskA);

	/** Effects that fail (by event id) until taken out of here. */
	Set<UUID> failing = new java.util.HashSet<>();

	/** Effects that fail every time (by task id). */
	Set<Long> alwaysFail = new java.util.HashSet<>();

	@BeforeEach
	void createTheInboxTables() {
		InboxTables.create(this.jdbc, this.schema);
		this.jdbc
			.sql("CREATE TABLE " + this.schema
					+ ".effects (id bigserial PRIMARY KEY, task_id bigint NOT NULL, sequence bigint NOT NULL)")
			.update();
	}

	@AfterEach
	void dropThem() {
		InboxTables.drop(this.jdbc, this.schema);
	}

	@Test
	void aMixedBatchIsAnsweredPerEntryWithEachEventsGuarantees() {
		TaskEvent a1 = event(this.taskA, 1);
		TaskEvent a2 = event(this.taskA, 2);
		TaskEvent a3 = event(this.taskA, 3);
		TaskEvent b1 = event(this.taskB, 1);
		TaskEvent b2 = event(this.taskB, 2);
		this.failing.add(b1.eventId());

		List<Outcome> outcomes = subscription().deliverAll(
				"task.updated", List.of(cloudEvent(a2), cloudEvent(a1), cloudEvent(a1),
						CloudEvents.tree("{\"data\":{}}"), cloudEvent(b1), cloudEvent(a3), cloudEvent(b2)),
				EntryTracing.NONE);

		assertThat(outcomes).containsExactly(Outcome.SUCCESS, Outcome.SUCCESS, Outcome.SUCCESS, Outcome.DROP,
				Outcome.RETRY, Outcome.SUCCESS, Outcome.SUCCESS);
		assertThat(effects()).as("task A in order and once, nothing of B: its 1 rolled back, its 2 waits for it")
			.containsExactly(this.taskA + ":1", this.taskA + ":2", this.taskA + ":3");
		assertThat(processed()).containsExactlyInAnyOrder(a1.eventId(), a2.eventId(), a3.eventId());
		assertThat(parked()).containsExactly(b2.eventId());

		this.failing.clear();
		assertThat(subscription().deliverAll("task.updated", List.of(cloudEvent(b1)), EntryTracing.NONE))
			.as("the sidecar's retry of B's 1")
			.containsExactly(Outcome.SUCCESS);
		assertThat(effects()).containsExactly(this.taskA + ":1", this.taskA + ":2", this.taskA + ":3",
				this.taskB + ":1", this.taskB + ":2");
		assertThat(parked()).isEmpty();
	}

	@Test
	void twoTasksInterleavedInOneBatchEachApplyInOrder() {
		List<TaskEvent> batch = List.of(event(this.taskA, 1), event(this.taskB, 1), event(this.taskA, 2),
				event(this.taskB, 2), event(this.taskA, 3));

		assertThat(subscription().deliverAll("task.updated", batch.stream().map(this::cloudEvent).toList(),
				EntryTracing.NONE))
			.containsOnly(Outcome.SUCCESS);

		assertThat(effects()).containsExactly(this.taskA + ":1", this.taskB + ":1", this.taskA + ":2",
				this.taskB + ":2", this.taskA + ":3");
		assertThat(lastSequence(this.taskA)).isEqualTo(3);
		assertThat(lastSequence(this.taskB)).isEqualTo(2);
	}

	@Test
	void aBatchAppliesGroupedByUserEachTaskStillInOrder() {
		List<TaskEvent> batch = List.of(event(this.taskA, 1, "zoe"), event(this.taskB, 1, "adam"),
				event(this.taskA, 2, "zoe"), event(this.taskB, 2, "adam"));

		assertThat(subscription().deliverAll("task.updated", batch.stream().map(this::cloudEvent).toList(),
				EntryTracing.NONE))
			.containsOnly(Outcome.SUCCESS);

		assertThat(effects()).as("adam's task first (rows locked per user in one order), each task in order")
			.containsExactly(this.taskB + ":1", this.taskB + ":2", this.taskA + ":1", this.taskA + ":2");
	}

	@Test
	void whenEveryEffectFailsEveryEntryIsRetriedAndNothingIsRecorded() {
		this.alwaysFail.add(this.taskA);
		this.alwaysFail.add(this.taskB);

		assertThat(subscription().deliverAll("task.updated",
				List.of(cloudEvent(event(this.taskA, 1)), cloudEvent(event(this.taskB, 1))), EntryTracing.NONE))
			.containsExactly(Outcome.RETRY, Outcome.RETRY);

		assertThat(effects()).isEmpty();
		assertThat(processed()).isEmpty();
	}

	@Test
	void aBatchOfOneThatFailsIsRetriedAndOneThatSucceedsIsDone() {
		TaskEvent a1 = event(this.taskA, 1);
		this.failing.add(a1.eventId());

		assertThat(subscription().deliverAll("task.updated", List.of(cloudEvent(a1)), EntryTracing.NONE))
			.containsExactly(Outcome.RETRY);
		assertThat(effects()).isEmpty();
		this.failing.clear();
		assertThat(subscription().deliverAll("task.updated", List.of(cloudEvent(a1)), EntryTracing.NONE))
			.containsExactly(Outcome.SUCCESS);
		assertThat(effects()).containsExactly(this.taskA + ":1");
	}

	@Test
	void aFailureThatPassesIsNotRetriedWhenTheBatchRunsAgainInSavepoints() {
		TaskEvent a1 = event(this.taskA, 1);
		TaskEvent b1 = event(this.taskB, 1);
		List<UUID> failOnce = new ArrayList<>(List.of(b1.eventId()));
		Inbox inbox = new Inbox(this.jdbc, this.transaction, this.schema, (event) -> {
			this.jdbc.sql("INSERT INTO " + this.schema + ".effects (task_id, sequence) VALUES (:task, :sequence)")
				.param("task", event.taskId())
				.param("sequence", event.sequence())
				.update();
			if (failOnce.remove(event.eventId())) {
				throw new IllegalStateException("a hiccup");
			}
			return true;
		}, false, new MutableClock());

		assertThat(inbox.processAll(List.of(a1, b1), Inbox.EntryScope.DIRECT)).extracting(Inbox.Processed::result)
			.containsExactly(Inbox.Result.APPLIED, Inbox.Result.APPLIED);
		assertThat(effects()).as("the first run rolled back as a whole")
			.containsExactly(this.taskA + ":1", this.taskB + ":1");
	}

	@Test
	void eachEntryRunsInItsOwnScopeAndABatchAndSingleDeliveriesMix() {
		List<Integer> scoped = new ArrayList<>();
		Inbox inbox = inbox();
		assertThat(inbox.process(event(this.taskA, 1))).isEqualTo(Inbox.Result.APPLIED);

		List<Inbox.Processed> processed = inbox.processAll(List.of(event(this.taskA, 3), event(this.taskA, 2)),
				(index, work) -> {
					scoped.add(index);
					return work.get();
				});

		assertThat(scoped).containsExactly(0, 1);
		assertThat(processed).extracting(Inbox.Processed::result)
			.containsExactly(Inbox.Result.PARKED, Inbox.Result.APPLIED);
		assertThat(effects()).containsExactly(this.taskA + ":1", this.taskA + ":2", this.taskA + ":3");
	}

	TaskEventSubscription subscription() {
		return new TaskEventSubscription("analytics", inbox(), this.metrics);
	}

	Inbox inbox() {
		return new Inbox(this.jdbc, this.transaction, this.schema, (event) -> {
			// the row first, then the failure: a failing effect has written something
			this.jdbc.sql("INSERT INTO " + this.schema + ".effects (task_id, sequence) VALUES (:task, :sequence)")
				.param("task", event.taskId())
				.param("sequence", event.sequence())
				.update();
			if (this.failing.contains(event.eventId()) || this.alwaysFail.contains(event.taskId())) {
				throw new IllegalStateException("effect failed");
			}
			return true;
		}, false, new MutableClock());
	}

	JsonNode cloudEvent(TaskEvent event) {
		return CloudEvents.tree(CloudEvents.write(event, null));
	}

	List<String> effects() {
		return this.jdbc.sql("SELECT task_id || ':' || sequence FROM " + this.schema + ".effects ORDER BY id")
			.query(String.class)
			.list();
	}

	List<UUID> processed() {
		return this.jdbc.sql("SELECT event_id FROM " + this.schema + ".processed_events").query(UUID.class).list();
	}

	List<UUID> parked() {
		return this.jdbc.sql("SELECT event_id FROM " + this.schema + ".parked_events").query(UUID.class).list();
	}

	long lastSequence(long task) {
		return this.jdbc.sql("SELECT last_sequence FROM " + this.schema + ".task_sequences WHERE task_id = :task")
			.param("task", task)
			.query(Long.class)
			.single();
	}

	static TaskEvent event(long task, long sequence) {
		return event(task, sequence, "batch-user");
	}

	static TaskEvent event(long task, long sequence, String user) {
		Instant at = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(sequence);
		return new TaskEvent(UUID.randomUUID(), EventType.UPDATED.value(), TaskEvent.SCHEMA_VERSION, task, user, at,
				sequence,
				new TaskEvent.Data(new TaskSnapshot(task, "t", null, "OPEN", "LOW", null, null, at, at, null, sequence),
						null),
				new TaskEvent.Metadata("api", null, sequence));
	}

}
