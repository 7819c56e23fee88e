package io.taskstream.audit;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.taskstream.Api;
import io.taskstream.IntegrationTest;
import io.taskstream.events.CloudEvents;
import io.taskstream.events.EventType;
import io.taskstream.events.Outcome;
import io.taskstream.events.inbox.Subscriptions;
import io.taskstream.events.TaskEvent;
import io.taskstream.events.TaskSnapshot;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IntegrationTest
class AuditSubscriptionIntegrationTests {

	@Autowired
	Subscriptions subscriptions;

	@Autowired
	JdbcClient jdbc;

	@LocalServerPort
	int port;

	@Test
	void aDuplicateDeliveryIsAcknowledgedAndChangesNothing() {
		TaskEvent event = event(UUID.randomUUID(), 7001, "dup-user");
		byte[] cloudEvent = CloudEvents.write(event, null).getBytes(StandardCharsets.UTF_8);

		assertThat(this.subscriptions.deliver("audit", "task.created", cloudEvent)).isEqualTo(Outcome.SUCCESS);
		assertThat(this.subscriptions.deliver("audit", "task.created", cloudEvent)).isEqualTo(Outcome.SUCCESS);

		assertThat(storedCopiesOf(event.eventId())).isEqualTo(1);
	}

	@Test
	void aPoisonDeliveryIsDropped() {
		assertThat(this.subscriptions.deliver("audit", "task.created", "{\"data\":{\"eventId\":1}}".getBytes()))
			.isEqualTo(Outcome.DROP);
	}

	@Test
	void aPoisonRowInTheOutboxEndsUpAsADeadLetterWithItsReason() {
		String id = UUID.randomUUID().toString();
		String poison = "{\"specversion\":\"1.0\",\"id\":\"" + id
				+ "\",\"type\":\"io.taskstream.task.created.v1\",\"data\":{\"eventType\":\"created\"}}";
		this.jdbc.sql("""
				INSERT INTO tasks.outbox (event_id, topic, task_id, payload)
				VALUES (CAST(:id AS uuid), 'task.created', 999999, :payload)
				""").param("id", id).param("payload", poison).update();
		// the relay wakes on the next commit that writes an event
		Api.onPort(this.port).createTask(Api.newUser(), "wakes the relay");

		await().untilAsserted(() -> {
			var row = this.jdbc.sql("SELECT topic, reason FROM audit.dead_letters WHERE message_id = :id")
				.param("id", id)
				.query()
				.singleRow();
			assertThat(row.get("topic")).isEqualTo("task.created");
			assertThat((String) row.get("reason")).startsWith("poison:").contains("userId");
		});
	}

	private long storedCopiesOf(UUID eventId) {
		return this.jdbc.sql("SELECT count(*) FROM audit.events WHERE event_id = :id")
			.param("id", eventId)
			.query(Long.class)
			.single();
	}

	static TaskEvent event(UUID id, long taskId, String user) {
		java.time.Instant now = java.time.Instant.parse("2026-01-01T00:00:00Z");
		return new TaskEvent(id, EventType.CREATED.value(), TaskEvent.SCHEMA_VERSION, taskId, user, now, 1,
				new TaskEvent.Data(new TaskSnapshot(taskId, "dup", null, "OPEN", "LOW", null, null, now, now, null, 1),
						null),
				new TaskEvent.Metadata("api", null, 1));
	}

}
