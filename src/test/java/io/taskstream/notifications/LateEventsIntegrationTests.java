package io.taskstream.notifications;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.taskstream.Api;
import io.taskstream.IntegrationTest;
import io.taskstream.MutableClock;
import io.taskstream.events.EventType;
import io.taskstream.events.inbox.Inbox;
import io.taskstream.events.TaskEvent;
import io.taskstream.events.TaskSnapshot;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A task's {@code completed} event that comes minutes after its {@code deleted}: the
 * notifications role waits for it (real notifier and schema, a clock the test moves), so
 * the completion is neither lost nor told after the deletion, and neither is its webhook.
 */
@IntegrationTest
class LateEventsIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transaction;

	@Autowired
	Notifier notifier;

	MutableClock clock = new MutableClock(Instant.now());

	String user = Api.newUser();

	long task = ThreadLocalRandom.current().nextLong(1_000_000_000L, 2_000_000_000L);

	@Test
	void aCompletionTenMinutesLateIsNotifiedAndDeliveredBeforeTheDeletion() {
		// a receiver that refuses connections: the deliveries stay in the table for the
		// test
		long webhook = this.jdbc.sql("""
				INSERT INTO notifications.webhooks (user_id, url, events, secret)
				VALUES (:user, 'http://127.0.0.1:9/hook', ARRAY['completed', 'deleted'], 'secret') RETURNING id
				""").param("user", this.user).query(Long.class).single();
		Inbox inbox = new Inbox(this.jdbc, this.transaction, "notifications", this.notifier::apply, false, this.clock);
		TaskEvent created = event(EventType.CREATED, 1);
		TaskEvent completed = event(EventType.COMPLETED, 2);
		TaskEvent deleted = event(EventType.DELETED, 3);

		assertThat(inbox.process(created)).isEqualTo(Inbox.Result.APPLIED);
		assertThat(inbox.process(deleted)).isEqualTo(Inbox.Result.PARKED);
		this.clock.advance(Duration.ofMinutes(10));
		assertThat(inbox.process(deleted)).as("redelivered ten minutes later").isEqualTo(Inbox.Result.PARKED);
		inbox.applyReady();
		assertThat(kindsInOrder()).isEmpty();

		assertThat(inbox.process(completed)).isEqualTo(Inbox.Result.APPLIED);

		assertThat(kindsInOrder()).containsExactly("completed", "deleted");
		assertThat(this.jdbc
			.sql("SELECT event_id FROM notifications.webhook_deliveries WHERE webhook_id = :id ORDER BY id")
			.param("id", webhook)
			.query(UUID.class)
			.list()).containsExactly(completed.eventId(), deleted.eventId());
	}

	private List<String> kindsInOrder() {
		return this.jdbc.sql("SELECT kind FROM notifications.notifications WHERE user_id = :user ORDER BY id")
			.param("user", this.user)
			.query(String.class)
			.list();
	}

	private TaskEvent event(EventType type, long sequence) {
		Instant at = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(sequence);
		String status = (type == EventType.COMPLETED || type == EventType.DELETED) ? "COMPLETED" : "OPEN";
		TaskSnapshot snapshot = new TaskSnapshot(this.task, "late", null, status, "LOW", null, null, at, at,
				status.equals("COMPLETED") ? at : null, sequence);
		return new TaskEvent(UUID.randomUUID(), type.value(), TaskEvent.SCHEMA_VERSION, this.task, this.user, at,
				sequence,
				new TaskEvent.Data(snapshot, (type == EventType.COMPLETED)
						? Map.of("status", new TaskEvent.Change("OPEN", "COMPLETED")) : null),
				new TaskEvent.Metadata("api", null, sequence));
	}

}
