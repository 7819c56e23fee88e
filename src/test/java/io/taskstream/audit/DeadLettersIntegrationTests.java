package io.taskstream.audit;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.UUID;

import io.taskstream.Api;
import io.taskstream.EventLog;
import io.taskstream.IntegrationTest;
import io.taskstream.events.CloudEvents;
import io.taskstream.events.EventType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IntegrationTest
class DeadLettersIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	Api api;

	@BeforeEach
	void setUp() {
		this.api = Api.onPort(this.port);
	}

	@Test
	void deadLettersAreForOperatorsOnly() {
		assertThat(this.api.get("alice", "/api/v1/deadletters").status()).isEqualTo(403);
		assertThat(this.api.get(null, "/api/v1/deadletters").status()).isEqualTo(401);
		assertThat(this.api.operator("wrong-token", "/api/v1/deadletters", "GET").status()).isEqualTo(401);
		assertThat(this.api.operator(IntegrationTest.OPERATOR_TOKEN, "/api/v1/deadletters", "GET").status())
			.isEqualTo(200);
		Api.Response badStatus = this.api.operator(IntegrationTest.OPERATOR_TOKEN, "/api/v1/deadletters?status=gone",
				"GET");
		assertThat(badStatus.status()).isEqualTo(400);
		assertThat(this.api.post("alice", "/api/v1/deadletters/1/redrive", "").status()).isEqualTo(403);
	}

	@Test
	void aStillPoisonEventComesBackToTheListWhenRedriven() {
		String id = UUID.randomUUID().toString();
		this.jdbc.sql("""
				INSERT INTO tasks.outbox (event_id, topic, task_id, payload)
				VALUES (CAST(:id AS uuid), 'task.updated', 888888, :payload)
				""")
			.param("id", id)
			.param("payload",
					"{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"subject\":\"888888\","
							+ "\"type\":\"io.taskstream.task.updated.v1\",\"data\":{\"eventType\":\"updated\"}}")
			.update();
		this.api.createTask(Api.newUser(), "wakes the relay");
		JsonNode letter = await().until(() -> find(id), (found) -> found != null);
		assertThat(letter.get("status").asString()).isEqualTo("open");

		Api.Response redriven = this.api.operator(IntegrationTest.OPERATOR_TOKEN,
				"/api/v1/deadletters/" + letter.get("id").asLong() + "/redrive", "POST");

		assertThat(redriven.status()).as(redriven.body()).isEqualTo(200);
		JsonNode again = find(id);
		assertThat(again.get("status").asString()).isEqualTo("open");
		assertThat(again.get("timesSeen").asInt()).isGreaterThanOrEqualTo(2);
		assertThat(again.get("redriveCount").asInt()).isEqualTo(1);
	}

	@Test
	void aDeadLetterIsRedrivenToItsTopicOnceTheConsumerWorks() {
		String user = Api.newUser();
		UUID eventId = UUID.randomUUID();
		String cloudEvent = CloudEvents.write(AuditSubscriptionIntegrationTests.event(eventId, 4242, user), null);
		// as a broken consumer would have left it: dropped, dead-lettered with Dapr's
		// fields
		JsonNode delivered = CloudEvents.tree(cloudEvent);
		((tools.jackson.databind.node.ObjectNode) delivered).put("topic", EventType.DEAD_LETTER_TOPIC);
		long id = this.jdbc.sql("""
				INSERT INTO audit.dead_letters (message_id, topic, reason, payload)
				VALUES (:messageId, 'task.created', 'a subscriber could not process it', :payload) RETURNING id
				""")
			.param("messageId", eventId.toString())
			.param("payload", delivered.toString())
			.query(Long.class)
			.single();

		Api.Response redriven = this.api.operator(IntegrationTest.OPERATOR_TOKEN,
				"/api/v1/deadletters/" + id + "/redrive", "POST");

		assertThat(redriven.status()).as(redriven.body()).isEqualTo(200);
		assertThat(redriven.json().get("status").asString()).isEqualTo("redriven");
		List<JsonNode> events = new EventLog(this.api).awaitExactly(user, 1);
		assertThat(events.get(0).get("eventId").asString()).isEqualTo(eventId.toString());
	}

	private JsonNode find(String messageId) {
		for (JsonNode letter : this.api.operator(IntegrationTest.OPERATOR_TOKEN, "/api/v1/deadletters", "GET").json()) {
			if (letter.get("messageId").asString().equals(messageId)) {
				return letter;
			}
		}
		return null;
	}

}
