package io.taskstream.notifications;

import java.net.http.HttpRequest;
import java.util.List;

import io.taskstream.Api;
import io.taskstream.IntegrationTest;
import io.taskstream.SseClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IntegrationTest
class NotificationsIntegrationTests {

	@LocalServerPort
	int port;

	Api api;

	String user;

	@BeforeEach
	void setUp() {
		this.api = Api.onPort(this.port);
		this.user = Api.newUser();
	}

	@Test
	void eventsWorthTellingBecomeNotificationsThatCanBeRead() {
		this.api.send(this.api.request(this.user, "/api/v1/tasks")
			.header("Content-Type", "application/json")
			.header("X-Device-Id", "phone")
			.POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"from the phone\"}")));
		long id = this.api.createTask(this.user, "plain").get("id").asLong();
		this.api.patch(this.user, "/api/v1/tasks/" + id, "{\"title\":\"renamed\"}");
		this.api.patch(this.user, "/api/v1/tasks/" + id, "{\"dueDate\":\"2026-12-24T18:00:00Z\"}");
		this.api.post(this.user, "/api/v1/tasks/" + id + "/complete", "");
		this.api.delete(this.user, "/api/v1/tasks/" + id);

		await().untilAsserted(() -> assertThat(kinds(this.api.get(this.user, "/api/v1/notifications").json()))
			.containsExactly("deleted", "completed", "updated", "created"));
		JsonNode newest = this.api.get(this.user, "/api/v1/notifications").json().get(0);
		assertThat(newest.get("message").asString()).isEqualTo("Deleted: renamed");

		Api.Response read = this.api.post(this.user, "/api/v1/notifications/" + newest.get("id").asLong() + "/read",
				"");
		assertThat(read.status()).isEqualTo(200);
		assertThat(kinds(this.api.get(this.user, "/api/v1/notifications?unread=true").json()))
			.containsExactly("completed", "updated", "created");
		assertThat(this.api.post(Api.newUser(), "/api/v1/notifications/" + newest.get("id").asLong() + "/read", "")
			.status()).isEqualTo(404);
	}

	@Test
	void everyConnectedDeviceGetsEachNotificationOnceAndAReconnectResumesWithoutGaps() throws Exception {
		try (SseClient phone = SseClient.open(this.port, "/api/v1/notifications/stream", this.user, null);
				SseClient laptop = SseClient.open(this.port, "/api/v1/notifications/stream", this.user, null)) {
			long first = this.api.createTask(this.user, "first").get("id").asLong();
			this.api.post(this.user, "/api/v1/tasks/" + first + "/complete", "");
			long second = this.api.createTask(this.user, "second").get("id").asLong();
			this.api.post(this.user, "/api/v1/tasks/" + second + "/complete", "");

			await().untilAsserted(() -> {
				assertThat(messages(phone)).containsExactly("Completed: first", "Completed: second");
				assertThat(messages(laptop)).containsExactly("Completed: first", "Completed: second");
			});
			await().untilAsserted(() -> assertThat(phone.heartbeats()).as("heartbeats every 300 ms here").isPositive());
			String lastSeen = phone.ids().get(0);
			this.api.delete(this.user, "/api/v1/tasks/" + first);
			await().until(() -> messages(laptop).size() == 3);

			try (SseClient resumed = SseClient.open(this.port, "/api/v1/notifications/stream", this.user, lastSeen)) {
				await().untilAsserted(
						() -> assertThat(messages(resumed)).containsExactly("Completed: second", "Deleted: first"));
			}
		}
	}

	private static List<String> messages(SseClient client) {
		return client.data().stream().map((data) -> data.get("message").asString()).toList();
	}

	private static List<String> kinds(JsonNode notifications) {
		return notifications.valueStream().map((n) -> n.get("kind").asString()).toList();
	}

}
