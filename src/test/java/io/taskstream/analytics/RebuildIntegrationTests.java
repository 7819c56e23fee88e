package io.taskstream.analytics;

import java.net.http.HttpRequest;

import io.taskstream.Api;
import io.taskstream.IntegrationTest;
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
