package io.taskstream.analytics;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import io.taskstream.Api;
import io.taskstream.IntegrationTest;
import io.taskstream.events.CloudEvents;
import io.taskstream.events.Outcome;
import io.taskstream.events.inbox.Subscriptions;
import io.taskstream.events.TaskEvent;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IntegrationTest
class RebuildIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Subscriptions subscriptions;

	@Test
	void aRebuildFromTheAuditHistoryGivesIdenticalNumbers() {
		Api api = Api.onPort(this.port);
		String user = Api.newUser();
		for (int i = 0; i < 4; i++) {
			long id = api.createTask(user, "task " + i).get("id").asLong();
			if (i % 2 == 0) {
				api.post(user, "/api/v1/tasks/" + id + "/complete", "");
			}
			if (i == 3) {
				api.delete(user, "/api/v1/tasks/" + id);
			}
		}
		await().until(() -> api.get(user, "/api/v1/analytics/summary").json().get("deleted").asLong() == 1);
		JsonNode before = api.get(user, "/api/v1/analytics/summary").json();
		JsonNode ratesBefore = api.get(user, "/api/v1/analytics/rates").json();

		Api.Response rebuilt = operator(api, "/api/v1/analytics/rebuild", IntegrationTest.OPERATOR_TOKEN);

		assertThat(rebuilt.status()).as(rebuilt.body()).isEqualTo(200);
		assertThat(rebuilt.json().get("replayed").asLong()).isGreaterThanOrEqualTo(7);
		await().untilAsserted(() -> {
			assertThat(api.get(user, "/api/v1/analytics/summary").json()).isEqualTo(before);
			assertThat(api.get(user, "/api/v1/analytics/rates").json()).isEqualTo(ratesBefore);
		});
	}

	@Test
	void aFailedRebuildLeavesTheServedNumbers() {
		Api api = Api.onPort(this.port);
		String user = Api.newUser();
		api.createTask(user, "counted");
		await().until(() -> api.get(user, "/api/v1/analytics/summary").json().get("created").asLong() == 1);
		JsonNode before = api.get(user, "/api/v1/analytics/summary").json();
		// an event in audit's history that cannot be read makes the rebuild fail midway
		long poison = this.jdbc.sql("""
				INSERT INTO audit.events (event_id, event_type, task_id, user_id, sequence, occurred_at, envelope)
				VALUES (gen_random_uuid(), 'created', 1, 'poison', 1, now(), '{"eventId":"not-a-uuid"}')
				RETURNING position
				""").query(Long.class).single();
		try {
			Api.Response failed = operator(api, "/api/v1/analytics/rebuild", IntegrationTest.OPERATOR_TOKEN);

			assertThat(failed.status()).as(failed.body()).isEqualTo(502);
			assertThat(failed.json().get("type").asString()).endsWith("/upstream-failure");
			assertThat(api.get(user, "/api/v1/analytics/summary").json()).isEqualTo(before);
			assertThat(lastRebuildOutcome()).isEqualTo("failed");
		}
		finally {
			this.jdbc.sql("DELETE FROM audit.events WHERE position = ?").param(poison).update();
		}
		// and the next rebuild runs
		assertThat(operator(api, "/api/v1/analytics/rebuild", IntegrationTest.OPERATOR_TOKEN).status()).isEqualTo(200);
		assertThat(api.get(user, "/api/v1/analytics/summary").json()).isEqualTo(before);
	}

	@Test
	void aSecondRebuildWhileOneRunsGets409() {
		Api api = Api.onPort(this.port);
		long running = this.jdbc.sql("INSERT INTO analytics.rebuilds DEFAULT VALUES RETURNING id")
			.query(Long.class)
			.single();
		try {
			Api.Response second = operator(api, "/api/v1/analytics/rebuild", IntegrationTest.OPERATOR_TOKEN);

			assertThat(second.status()).as(second.body()).isEqualTo(409);
			assertThat(second.contentType()).startsWith("application/problem+json");
			assertThat(second.json().get("type").asString()).isEqualTo("https://taskstream.io/problems/conflict");
		}
		finally {
			this.jdbc.sql("UPDATE analytics.rebuilds SET finished_at = now(), outcome = 'test' WHERE id = ?")
				.param(running)
				.update();
		}
	}

	@Test
	void aRebuildLeftRunningByACrashedInstanceDoesNotBlockTheNext() {
		Api api = Api.onPort(this.port);
		this.jdbc.sql("INSERT INTO analytics.rebuilds (started_at) VALUES (now() - interval '2 hours')").update();

		assertThat(operator(api, "/api/v1/analytics/rebuild", IntegrationTest.OPERATOR_TOKEN).status()).isEqualTo(200);
		assertThat(this.jdbc.sql("SELECT count(*) FROM analytics.rebuilds WHERE outcome = 'abandoned'")
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	private String lastRebuildOutcome() {
		return this.jdbc.sql("SELECT outcome FROM analytics.rebuilds ORDER BY id DESC LIMIT 1")
			.query(String.class)
			.single();
	}

	@Test
	void anEventParkedInAnalyticsOutlivesARebuild() {
		Api api = Api.onPort(this.port);
		String user = Api.newUser();
		// a task only analytics hears of (audit's history lacks it, so no replay brings
		// it)
		AnalyticsIntegrationTests.TaskEvents task = new AnalyticsIntegrationTests.TaskEvents(user,
				Instant.parse("2001-03-04T09:00:00Z"));
		TaskEvent created = task.created(1);
		TaskEvent completed = task.completed(1, Duration.ofMinutes(30));
		assertThat(deliver(completed)).isEqualTo(Outcome.SUCCESS);
		assertThat(parked(completed)).as("parked behind the missing created").isEqualTo(1);

		assertThat(operator(api, "/api/v1/analytics/rebuild", IntegrationTest.OPERATOR_TOKEN).status()).isEqualTo(200);
		assertThat(parked(completed)).as("still parked after the rebuild").isEqualTo(1);

		assertThat(deliver(created)).isEqualTo(Outcome.SUCCESS);
		JsonNode day = api.get(user, "/api/v1/analytics/summary?from=2001-03-04&to=2001-03-04").json();
		assertThat(day.get("created").asLong()).isEqualTo(1);
		assertThat(day.get("completed").asLong()).isEqualTo(1);
		assertThat(parked(completed)).isZero();
	}

	private Outcome deliver(TaskEvent event) {
		return this.subscriptions.deliver("analytics", event.type().topic(),
				CloudEvents.write(event, null).getBytes(StandardCharsets.UTF_8));
	}

	private long parked(TaskEvent event) {
		return this.jdbc.sql("SELECT count(*) FROM analytics.parked_events WHERE event_id = :id")
			.param("id", event.eventId())
			.query(Long.class)
			.single();
	}

	@Test
	void rebuildAndReplayAreForOperatorsOnly() {
		Api api = Api.onPort(this.port);
		assertThat(api.post("alice", "/api/v1/analytics/rebuild", "").status()).isEqualTo(403);
		assertThat(api.post("alice", "/api/v1/replay", "{\"target\":\"analytics\"}").status()).isEqualTo(403);
		Api.Response badTarget = api.send(api.request(null, "/api/v1/replay")
			.header("Authorization", "Bearer " + IntegrationTest.OPERATOR_TOKEN)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"target\":\"tasks\",\"from\":\"yesterday\"}")));
		assertThat(badTarget.status()).isEqualTo(400);
		assertThat(badTarget.json().get("errors")).hasSize(2);
	}

	@Test
	void aReplayForAnotherRoleChangesNothingHere() {
		Api api = Api.onPort(this.port);
		String user = Api.newUser();
		api.createTask(user, "replayed to audit");
		await().until(() -> api.get(user, "/api/v1/analytics/summary").json().get("created").asLong() == 1);
		Api.Response replay = api.send(api.request(null, "/api/v1/replay")
			.header("Authorization", "Bearer " + IntegrationTest.OPERATOR_TOKEN)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"target\":\"audit\",\"userId\":\"" + user + "\"}")));
		assertThat(replay.json().get("replayed").asLong()).isEqualTo(1);
		assertThat(api.get(user, "/api/v1/analytics/summary").json().get("created").asLong()).isEqualTo(1);
		assertThat(api.get(user, "/api/v1/events").json().get("items")).hasSize(1);
	}

	private static Api.Response operator(Api api, String path, String token) {
		return api.send(api.request(null, path)
			.header("Authorization", "Bearer " + token)
			.POST(HttpRequest.BodyPublishers.noBody()));
	}

}
