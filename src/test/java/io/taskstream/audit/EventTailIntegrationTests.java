package io.taskstream.audit;

import java.util.List;

import io.taskstream.Api;
import io.taskstream.IntegrationTest;
import io.taskstream.SseClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IntegrationTest
class EventTailIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void theTailStreamsTheUsersEventsLiveWithFiltersAndResumesAfterLastEventId() throws Exception {
		Api api = Api.onPort(this.port);
		String user = Api.newUser();
		try (SseClient tail = SseClient.open(this.port, "/api/v1/events/stream", user, null);
				SseClient completions = SseClient.open(this.port, "/api/v1/events/stream?type=completed", user, null)) {
			long id = api.createTask(user, "tailed").get("id").asLong();
			api.post(user, "/api/v1/tasks/" + id + "/complete", "");
			api.createTask(Api.newUser(), "someone else's");

			await().untilAsserted(() -> assertThat(types(tail.data())).containsExactly("created", "completed"));
			await().untilAsserted(() -> assertThat(types(completions.data())).containsExactly("completed"));
			assertThat(tail.data().get(0).get("taskId").asLong()).isEqualTo(id);

			String afterCreated = tail.ids().get(0);
			api.delete(user, "/api/v1/tasks/" + id);
			try (SseClient resumed = SseClient.open(this.port, "/api/v1/events/stream", user, afterCreated)) {
				await().untilAsserted(() -> assertThat(types(resumed.data())).containsExactly("completed", "deleted"));
			}
		}
	}

	@Test
	void badTailRequestsAreProblems() {
		Api api = Api.onPort(this.port);
		assertThat(api
			.send(api.request("alice", "/api/v1/events/stream?type=renamed")
				.header("Accept", "text/event-stream, application/problem+json"))
			.status()).isEqualTo(400);
		assertThat(api
			.send(api.request("alice", "/api/v1/events/stream?userId=bob")
				.header("Accept", "text/event-stream, application/problem+json"))
			.status()).isEqualTo(403);
	}

	private static List<String> types(List<JsonNode> events) {
		return events.stream().map((event) -> event.get("eventType").asString()).toList();
	}

}
