package io.taskstream.notifications;

import java.net.http.HttpRequest;
import java.util.List;

import io.taskstream.Api;
import io.taskstream.IntegrationTest;
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

	private static List<String> kinds(JsonNode notifications) {
		return notifications.valueStream().map((n) -> n.get("kind").asString()).toList();
	}

}
