package io.taskstream.audit;

import java.net.http.HttpRequest;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.taskstream.Api;
import io.taskstream.IntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/v1/replay}: every matching event, page by page; bad requests refused.
 */
@IntegrationTest
class ReplayIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	EventStore store;

	@Autowired
	TransactionTemplate transaction;

	@Test
	void aReplayLargerThanOnePageReEmitsEveryMatchingEvent() {
		String user = Api.newUser();
		long firstTask = ThreadLocalRandom.current().nextLong(1_000_000_000L, 2_000_000_000L);
		this.transaction.executeWithoutResult((status) -> {
			for (int i = 0; i < 1234; i++) {
				this.store.append(AuditSubscriptionIntegrationTests.event(UUID.randomUUID(), firstTask + i, user));
			}
		});
		Api.Response replay = replay("{\"target\":\"audit\",\"userId\":\"" + user + "\"}");
		assertThat(replay.status()).as(replay.body()).isEqualTo(200);
		assertThat(replay.json().get("replayed").asLong()).isEqualTo(1234);
		assertThat(replay("{\"target\":\"audit\",\"userId\":\"" + user + "\",\"taskId\":" + firstTask + "}").json()
			.get("replayed")
			.asLong()).isEqualTo(1);
	}

	@Test
	void badReplaysAreProblems() {
		for (String body : new String[] { "[]", "{\"target\":\"tasks\"}", "{\"target\":\"audit\",\"extra\":1}",
				"{\"target\":\"audit\",\"from\":\"2026-02-01T00:00:00Z\",\"to\":\"2026-01-01T00:00:00Z\"}",
				"{\"target\":\"audit\",\"from\":\"yesterday\"}", "{\"target\":\"audit\",\"taskId\":\"one\"}",
				"{\"target\":\"audit\",\"userId\":7}", "{\"target\":" }) {
			Api.Response response = replay(body);
			assertThat(response.status()).as(body).isEqualTo(400);
			assertThat(response.contentType()).as(body).startsWith("application/problem+json");
			JsonNode problem = response.json();
			assertThat(problem.get("type").asString()).as(body).startsWith("https://taskstream.io/problems/");
		}
	}

	private Api.Response replay(String body) {
		Api api = Api.onPort(this.port);
		return api.send(api.request(null, "/api/v1/replay")
			.header("Authorization", "Bearer " + IntegrationTest.OPERATOR_TOKEN)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

}
