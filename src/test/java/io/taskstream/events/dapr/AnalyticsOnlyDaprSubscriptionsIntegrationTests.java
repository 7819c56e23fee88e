package io.taskstream.events.dapr;

import java.io.IOException;
import java.net.http.HttpRequest;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.taskstream.TestIssuer;
import org.springframework.test.context.ContextConfiguration;

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

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A process running only {@code analytics}, in Dapr mode, as a role's pod does: its
 * {@code /dapr/subscribe} lists analytics' subscriptions and nothing else, and each route
 * hands the CloudEvent (or the batch of them) to analytics, for the sidecar that presents
 * the app token only. (A context of its own, with its own embedded PostgreSQL; no sidecar
 * is needed to receive.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "taskstream.roles=analytics", "taskstream.events.transport=dapr",
				"taskstream.events.dapr.app-api-token=" + AnalyticsOnlyDaprSubscriptionsIntegrationTests.APP_TOKEN,
				"management.server.port=0",
				"taskstream.embedded-postgres.data-directory=target/test-postgres-analytics-only",
				"taskstream.embedded-postgres.clean=true" })
@ContextConfiguration(initializers = TestIssuer.Initializer.class)
class AnalyticsOnlyDaprSubscriptionsIntegrationTests {

	static final String APP_TOKEN = "analytics-only-app-token";

	static EmbeddedPostgres postgres;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) throws IOException {
		postgres = EmbeddedPostgres.builder().start();
		registry.add("spring.datasource.url", () -> postgres.getJdbcUrl("postgres", "postgres"));
	}

	@AfterAll
	static void stopTheDatabase() throws IOException {
		postgres.close();
	}

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Test
	void subscribeListsOnlyAnalyticsTopicsEachWithItsRouteAndTheDeadLetterTopic() {
		JsonNode subscriptions = sidecar("/dapr/subscribe", null).json();

		assertThat(subscriptions.valueStream().map((s) -> s.get("topic").asString()))
			.containsExactlyInAnyOrder("task.created", "task.updated", "task.deleted", "task.completed", "task.replay");
		assertThat(subscriptions.valueStream()).allSatisfy((s) -> {
			assertThat(s.get("route").asString())
				.isEqualTo("/dapr/events/analytics/" + s.get("topic").asString() + "/bulk");
			assertThat(s.get("bulkSubscribe").get("enabled").asBoolean()).isTrue();
			assertThat(s.get("bulkSubscribe").get("maxMessagesCount").asInt()).isEqualTo(100);
			assertThat(s.get("bulkSubscribe").get("maxAwaitDurationMs").asInt()).isEqualTo(5);
			assertThat(s.get("deadLetterTopic").asString()).isEqualTo(EventType.DEAD_LETTER_TOPIC);
			assertThat(s.get("pubsubname").asString()).isEqualTo("taskstream-pubsub");
		});
	}

	@Test
	void aRouteHandsTheEventToTheRoleAndAnswersAsDaprExpects() {
		String cloudEvent = CloudEvents.write(event(), null);

		Api.Response delivered = sidecar("/dapr/events/analytics/task.created", cloudEvent);
		assertThat(delivered.status()).isEqualTo(200);
		assertThat(delivered.json().get("status").asString()).isEqualTo("SUCCESS");

		Api.Response poison = sidecar("/dapr/events/analytics/task.created", "{\"data\":{}}");
		assertThat(poison.json().get("status").asString()).isEqualTo("DROP");
	}

	@Test
	void aBulkDeliveryIsAnsweredPerEntryAPoisonEntryDroppedAlone() {
		TaskEvent event = event();
		String cloudEvent = CloudEvents.write(event, null);
		String batch = "{\"id\":\"b1\",\"type\":\"com.dapr.event.sent.bulk\",\"topic\":\"task.created\","
				+ "\"pubsubname\":\"taskstream-pubsub\",\"metadata\":{},\"entries\":[" + entry("e1", cloudEvent) + ","
				+ entry("e2", "{\"data\":{}}") + "," + entry("e3", cloudEvent) + "," + entry("e4", "\"cmF3IGJ5dGVz\"")
				+ "]}";

		Api.Response delivered = bulk("/dapr/events/analytics/task.created/bulk", batch);

		assertThat(delivered.status()).isEqualTo(200);
		assertThat(delivered.json()
			.get("statuses")
			.valueStream()
			.map((status) -> status.get("entryId").asString() + "=" + status.get("status").asString()))
			.containsExactly("e1=SUCCESS", "e2=DROP", "e3=SUCCESS", "e4=DROP");
		assertThat(processed(event)).as("applied once, its duplicate ignored").isEqualTo(1);
	}

	@Test
	void aBulkDeliveryThatIsNotABatchIsABadRequestAndNothingInItIsTaken() {
		TaskEvent event = event();
		String cloudEvent = CloudEvents.write(event, null);
		for (String body : List.of("not json", "[]", "{\"entries\":{}}",
				"{\"entries\":[{\"event\":" + cloudEvent + "}]}", "{\"entries\":[" + entry(" ", cloudEvent) + "]}",
				"{\"entries\":[" + entry("e1", cloudEvent) + "," + entry("e1", cloudEvent) + "]}",
				"{\"entries\":[" + entry("e1", cloudEvent) + ",{\"entryId\":\"e2\"}]}")) {
			Api.Response refused = bulk("/dapr/events/analytics/task.created/bulk", body);
			assertThat(refused.status()).as(body).isEqualTo(400);
			assertThat(refused.contentType()).as(body).startsWith("application/problem+json");
		}
		assertThat(processed(event)).as("the sidecar retries a refused batch: nothing of it was taken").isZero();

		Api.Response retried = bulk("/dapr/events/analytics/task.created/bulk",
				"{\"entries\":[" + entry("e1", cloudEvent) + "]}");
		assertThat(retried.json().at("/statuses/0/status").asString()).isEqualTo("SUCCESS");
		assertThat(processed(event)).isEqualTo(1);
	}

	@Test
	void aBulkRouteOfARoleThatDoesNotRunHereIsRefusedButNotAsNotFoundAndNeedsTheAppToken() {
		Api.Response response = bulk("/dapr/events/audit/task.created/bulk", "{\"entries\":[]}");
		assertThat(response.status()).as("a 404 would make the sidecar discard the batch").isEqualTo(400);
		assertThat(response.contentType()).startsWith("application/problem+json");
		Api api = Api.onPort(this.port);
		assertThat(api.post(null, "/dapr/events/analytics/task.created/bulk", "{\"entries\":[]}").status())
			.isEqualTo(401);
	}

	@Test
	void aRouteOfARoleThatDoesNotRunHereIsNotFound() {
		Api.Response response = sidecar("/dapr/events/audit/task.deadletter", CloudEvents.write(event(), null));

		assertThat(response.status()).isEqualTo(404);
		assertThat(response.contentType()).startsWith("application/problem+json");
	}

	@Test
	void withoutTheAppTokenNothingIsListedOrDelivered() {
		Api api = Api.onPort(this.port);
		assertThat(api.get(null, "/dapr/subscribe").status()).isEqualTo(401);
		Api.Response forged = api.post(null, "/dapr/events/analytics/task.created", CloudEvents.write(event(), null));
		assertThat(forged.status()).isEqualTo(401);
		assertThat(forged.contentType()).startsWith("application/problem+json");
	}

	/**
	 * A call as the sidecar makes it: with the app token; a GET when there is no body.
	 */
	private Api.Response sidecar(String path, String body) {
		Api api = Api.onPort(this.port);
		HttpRequest.Builder request = api.request(null, path).header("dapr-api-token", APP_TOKEN);
		if (body != null) {
			request.header("Content-Type", "application/cloudevents+json")
				.POST(HttpRequest.BodyPublishers.ofString(body));
		}
		return api.send(request);
	}

	/** A bulk call as the sidecar makes it: JSON, with the app token. */
	private Api.Response bulk(String path, String body) {
		Api api = Api.onPort(this.port);
		return api.send(api.request(null, path)
			.header("dapr-api-token", APP_TOKEN)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	private static String entry(String entryId, String event) {
		return "{\"entryId\":\"" + entryId + "\",\"event\":" + event
				+ ",\"metadata\":{},\"contentType\":\"application/cloudevents+json\"}";
	}

	private int processed(TaskEvent event) {
		return this.jdbc.sql("SELECT count(*) FROM analytics.processed_events WHERE event_id = :id")
			.param("id", event.eventId())
			.query(Integer.class)
			.single();
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
