package io.taskstream.e2e;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.taskstream.Api;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import static io.taskstream.e2e.E2EStack.*;
import static io.taskstream.e2e.PipelineChecks.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bad input and a missing sidecar through the real stack ({@link E2EStack}): a poison
 * event is dead-lettered without blocking its partition, and the API keeps working while
 * the publishing sidecar is down, its backlog draining afterwards.
 */
@ExtendWith(E2EStack.class)
@Order(2)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailureRecoveryE2ETests {

	@BeforeAll
	static void analyticsRuns() {
		withAnalytics();
	}

	/**
	 * Scenario 3: a poison message is dead-lettered, recorded, and does not block its
	 * partition.
	 */
	@Test
	@Order(3)
	void aPoisonEventIsDeadLetteredAndDoesNotBlockLaterEvents() throws Exception {
		String poisonId = "poison-" + UUID.randomUUID();
		String poison = "{\"specversion\":\"1.0\",\"id\":\"" + poisonId + "\",\"source\":\"e2e\","
				+ "\"type\":\"io.taskstream.task.updated.v1\",\"datacontenttype\":\"application/json\","
				+ "\"data\":{\"eventId\":\"not a uuid\",\"eventType\":\"created\"}}";
		String user = Api.newUser();
		long id = tasks.createTask(user, "partition mate").get("id").asLong();
		audit.awaitExactly(user, 1);
		try (KafkaProducer<String, String> producer = producer()) {
			// same key as the next event of the task, so the same partition
			producer.send(new ProducerRecord<>("task.updated", Long.toString(id), poison)).get();
		}
		tasks.patch(user, "/api/v1/tasks/" + id, "{\"title\":\"after the poison\"}");

		assertThat(audit.awaitExactly(user, 2).get(1).at("/data/task/title").asString()).isEqualTo("after the poison");
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			try (Connection db = database();
					Statement statement = db.createStatement();
					ResultSet row = statement.executeQuery(
							"SELECT topic, reason FROM audit.dead_letters WHERE message_id = '" + poisonId + "'")) {
				assertThat(row.next()).as("dead letter of " + poisonId).isTrue();
				assertThat(row.getString("topic")).isEqualTo("task.updated");
				assertThat(row.getString("reason")).startsWith("poison:");
			}
		});
	}

	/**
	 * Scenario 4: the publishing sidecar is down; the API still works and nothing is
	 * lost.
	 */
	@Test
	@Order(4)
	void withThePublishingSidecarDownNoCallFailsAndTheBacklogDrainsAfterwards() throws SQLException {
		String user = Api.newUser();
		stack.stop("tasks-dapr");
		for (int i = 0; i < 20; i++) {
			assertThat(tasks.post(user, "/api/v1/tasks", "{\"title\":\"offline " + i + "\"}").status()).isEqualTo(201);
		}
		assertThat(unpublished()).isGreaterThanOrEqualTo(20);

		stack.start("tasks-dapr");

		List<JsonNode> log = audit.awaitExactly(user, 20);
		List<String> ids = log.stream().map((event) -> event.get("eventId").asString()).toList();
		assertThat(ids).doesNotHaveDuplicates();
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			assertThat(analytics.get(user, "/api/v1/analytics/summary").json().get("created").asLong()).isEqualTo(20);
			assertThat(processed("analytics", ids)).isEqualTo(20);
			assertThat(processed("notifications", ids)).isEqualTo(20);
		});
		assertThat(unpublished()).isZero();
	}

}
