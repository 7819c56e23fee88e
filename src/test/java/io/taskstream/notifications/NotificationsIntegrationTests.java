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

	@Test
	void everyConnectedDeviceGetsEachNotificationOnceAndAReconnectResumesWithoutGaps() throws Exception {
		try (SseClient phone = SseClient.open(this.port, this.user, null);
				SseClient laptop = SseClient.open(this.port, this.user, null)) {
			long first = this.api.createTask(this.user, "first").get("id").asLong();
			this.api.post(this.user, "/api/v1/tasks/" + first + "/complete", "");
			long second = this.api.createTask(this.user, "second").get("id").asLong();
			this.api.post(this.user, "/api/v1/tasks/" + second + "/complete", "");

			await().untilAsserted(() -> {
				assertThat(phone.messages()).containsExactly("Completed: first", "Completed: second");
				assertThat(laptop.messages()).containsExactly("Completed: first", "Completed: second");
			});
			assertThat(phone.heartbeats()).as("heartbeats every 300 ms here").isPositive();
			String lastSeen = phone.ids().get(0);
			this.api.delete(this.user, "/api/v1/tasks/" + first);
			await().until(() -> laptop.messages().size() == 3);

			try (SseClient resumed = SseClient.open(this.port, this.user, lastSeen)) {
				await().untilAsserted(
						() -> assertThat(resumed.messages()).containsExactly("Completed: second", "Deleted: first"));
			}
		}
	}

	/**
	 * A real Server-Sent Events client on a background thread, as a browser would read
	 * it.
	 */
	static final class SseClient implements AutoCloseable {

		private final List<String> ids = new java.util.concurrent.CopyOnWriteArrayList<>();

		private final List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();

		private final java.util.concurrent.atomic.AtomicInteger heartbeats = new java.util.concurrent.atomic.AtomicInteger();

		private final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();

		private java.io.InputStream body;

		static SseClient open(int port, String user, String lastEventId) throws Exception {
			SseClient client = new SseClient();
			HttpRequest.Builder request = HttpRequest
				.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/notifications/stream"))
				.header("X-User-Id", user)
				.header("Accept", "text/event-stream");
			if (lastEventId != null) {
				request.header("Last-Event-ID", lastEventId);
			}
			var response = client.http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
			assertThat(response.statusCode()).isEqualTo(200);
			client.body = response.body();
			var lines = new java.io.BufferedReader(
					new java.io.InputStreamReader(client.body, java.nio.charset.StandardCharsets.UTF_8))
				.lines();
			java.util.concurrent.CompletableFuture.runAsync(() -> lines.forEach((line) -> {
				if (line.startsWith("id:")) {
					client.ids.add(line.substring(3).strip());
				}
				else if (line.startsWith("data:")) {
					client.messages.add(Api.json.readTree(line.substring(5)).get("message").asString());
				}
				else if (line.startsWith(":")) {
					client.heartbeats.incrementAndGet();
				}
			}));
			return client;
		}

		List<String> ids() {
			return this.ids;
		}

		List<String> messages() {
			return this.messages;
		}

		int heartbeats() {
			return this.heartbeats.get();
		}

		@Override
		public void close() throws java.io.IOException {
			this.body.close();
		}

	}

	private static List<String> kinds(JsonNode notifications) {
		return notifications.valueStream().map((n) -> n.get("kind").asString()).toList();
	}

}
