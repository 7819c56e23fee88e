package io.taskstream.tasks;

import java.time.Duration;
import java.util.List;

import io.taskstream.Api;
import io.taskstream.EventLog;
import io.taskstream.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IntegrationTest
class TaskApiIntegrationTests {

	@LocalServerPort
	int port;

	Api api;

	EventLog events;

	String user;

	@BeforeEach
	void setUp() {
		this.api = Api.onPort(this.port);
		this.events = new EventLog(this.api);
		this.user = Api.newUser();
	}

	@Test
	void creatingATaskAnswers201WithLocationEtagAndDefaults() {
		Api.Response response = this.api.post(this.user, "/api/v1/tasks",
				"{\"title\":\"Buy milk\",\"tags\":[\"home\"],\"dueDate\":\"2026-12-01T17:00:00+01:00\"}");
		assertThat(response.status()).isEqualTo(201);
		JsonNode task = response.json();
		assertThat(response.header("Location")).isEqualTo("/api/v1/tasks/" + task.get("id").asLong());
		assertThat(response.header("ETag")).isEqualTo("\"1\"");
		assertThat(task.get("status").asString()).isEqualTo("OPEN");
		assertThat(task.get("priority").asString()).isEqualTo("MEDIUM");
		assertThat(task.get("dueDate").asString()).isEqualTo("2026-12-01T16:00:00Z");
		assertThat(task.get("version").asLong()).isEqualTo(1);
		assertThat(this.api.get(this.user, "/api/v1/tasks/" + task.get("id").asLong()).json()).isEqualTo(task);
	}

	@Test
	void createUpdateCompleteAndDeleteEachProduceExactlyOneEventInOrder() {
		long id = this.api.createTask(this.user, "Plan trip").get("id").asLong();
		assertThat(
				this.api.patch(this.user, "/api/v1/tasks/" + id, "{\"title\":\"Plan the trip\",\"priority\":\"HIGH\"}")
					.status())
			.isEqualTo(200);
		assertThat(this.api.post(this.user, "/api/v1/tasks/" + id + "/complete", "").status()).isEqualTo(200);
		assertThat(this.api.delete(this.user, "/api/v1/tasks/" + id).status()).isEqualTo(204);

		List<JsonNode> log = this.events.awaitExactly(this.user, 4);
		assertThat(EventLog.types(log)).containsExactly("created", "updated", "completed", "deleted");
		assertThat(log).extracting((event) -> event.get("sequence").asLong()).containsExactly(1L, 2L, 3L, 4L);
		assertThat(log).allSatisfy((event) -> assertThat(event.get("taskId").asLong()).isEqualTo(id));
		JsonNode update = log.get(1);
		assertThat(update.at("/data/changes/title/from").asString()).isEqualTo("Plan trip");
		assertThat(update.at("/data/changes/title/to").asString()).isEqualTo("Plan the trip");
		assertThat(update.at("/data/changes/priority/to").asString()).isEqualTo("HIGH");
		assertThat(log.get(2).at("/data/task/status").asString()).isEqualTo("COMPLETED");
		assertThat(log.get(3).at("/data/task/title").asString()).isEqualTo("Plan the trip");
		assertThat(this.api.get(this.user, "/api/v1/tasks/" + id).status()).isEqualTo(404);
	}

	@Test
	void completingTwiceReturnsTheSameTaskAndEmitsOneCompletedEvent() {
		long id = this.api.createTask(this.user, "Call mum").get("id").asLong();
		Api.Response first = this.api.post(this.user, "/api/v1/tasks/" + id + "/complete", "");
		Api.Response second = this.api.post(this.user, "/api/v1/tasks/" + id + "/complete", "");
		assertThat(second.status()).isEqualTo(200);
		assertThat(second.json()).isEqualTo(first.json());
		assertThat(EventLog.types(this.events.awaitExactly(this.user, 2))).containsExactly("created", "completed");
	}

	@Test
	void aPatchThatChangesNothingEmitsNoEvent() {
		long id = this.api.createTask(this.user, "Same").get("id").asLong();
		Api.Response response = this.api.patch(this.user, "/api/v1/tasks/" + id, "{\"title\":\"Same\"}");
		assertThat(response.json().get("version").asLong()).isEqualTo(1);
		long marker = this.api.createTask(this.user, "marker").get("id").asLong();
		List<JsonNode> log = this.events.awaitExactly(this.user, 2);
		assertThat(log.get(1).get("taskId").asLong()).isEqualTo(marker);
	}

	@Test
	void reopeningACompletedTaskIsAnUpdateThatClearsCompletedAt() {
		long id = this.api.createTask(this.user, "Reopen me").get("id").asLong();
		this.api.post(this.user, "/api/v1/tasks/" + id + "/complete", "");
		JsonNode reopened = this.api.patch(this.user, "/api/v1/tasks/" + id, "{\"status\":\"OPEN\"}").json();
		assertThat(reopened.get("completedAt").isNull()).isTrue();
		List<JsonNode> log = this.events.awaitExactly(this.user, 3);
		assertThat(log.get(2).get("eventType").asString()).isEqualTo("updated");
		assertThat(log.get(2).at("/data/changes/status/from").asString()).isEqualTo("COMPLETED");
	}

	@Test
	void aStaleIfMatchIsRejectedWith412AndChangesNothing() {
		long id = this.api.createTask(this.user, "Versioned").get("id").asLong();
		assertThat(this.api
			.send(this.api.request(this.user, "/api/v1/tasks/" + id)
				.header("Content-Type", "application/merge-patch+json")
				.header("If-Match", "\"1\"")
				.method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"title\":\"v2\"}")))
			.status()).isEqualTo(200);
		Api.Response stale = this.api.send(this.api.request(this.user, "/api/v1/tasks/" + id)
			.header("Content-Type", "application/merge-patch+json")
			.header("If-Match", "\"1\"")
			.method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"title\":\"lost update\"}")));
		assertThat(stale.status()).isEqualTo(412);
		assertThat(this.api.get(this.user, "/api/v1/tasks/" + id).json().get("title").asString()).isEqualTo("v2");
		assertThat(this.events.awaitExactly(this.user, 2)).hasSize(2);
	}

	@Test
	void anotherUsersTaskIsNotFoundAndUntouched() {
		long id = this.api.createTask(this.user, "Private").get("id").asLong();
		String other = Api.newUser();
		assertThat(this.api.get(other, "/api/v1/tasks/" + id).status()).isEqualTo(404);
		assertThat(this.api.patch(other, "/api/v1/tasks/" + id, "{\"title\":\"mine\"}").status()).isEqualTo(404);
		assertThat(this.api.delete(other, "/api/v1/tasks/" + id).status()).isEqualTo(404);
		assertThat(this.api.get(other, "/api/v1/events").json().get("items")).isEmpty();
		assertThat(this.api.get(other, "/api/v1/events?userId=" + this.user).status()).isEqualTo(403);
	}

	@Test
	void listingPagesNewestFirstAndFiltersByStatus() {
		for (int i = 1; i <= 5; i++) {
			long id = this.api.createTask(this.user, "task " + i).get("id").asLong();
			if (i % 2 == 0) {
				this.api.post(this.user, "/api/v1/tasks/" + id + "/complete", "");
			}
		}
		JsonNode first = this.api.get(this.user, "/api/v1/tasks?size=2").json();
		assertThat(first.get("totalItems").asLong()).isEqualTo(5);
		assertThat(first.get("totalPages").asLong()).isEqualTo(3);
		assertThat(first.get("items")).extracting((task) -> task.get("title").asString())
			.containsExactly("task 5", "task 4");
		JsonNode last = this.api.get(this.user, "/api/v1/tasks?size=2&page=2").json();
		assertThat(last.get("items")).extracting((task) -> task.get("title").asString()).containsExactly("task 1");
		JsonNode completed = this.api.get(this.user, "/api/v1/tasks?status=COMPLETED").json();
		assertThat(completed.get("items")).extracting((task) -> task.get("title").asString())
			.containsExactly("task 4", "task 2");
	}

	@Test
	void clientSourceAndDeviceGoIntoTheEventMetadata() {
		this.api.send(this.api.request(this.user, "/api/v1/tasks")
			.header("Content-Type", "application/json")
			.header("X-Client-Source", "cli")
			.header("X-Device-Id", "laptop-7")
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"title\":\"From the CLI\"}")));
		JsonNode event = this.events.awaitExactly(this.user, 1).get(0);
		assertThat(event.at("/metadata/source").asString()).isEqualTo("cli");
		assertThat(event.at("/metadata/deviceId").asString()).isEqualTo("laptop-7");
	}

	@Test
	void eventsArePolledPageByPageWithACursor() {
		for (int i = 0; i < 5; i++) {
			this.api.createTask(this.user, "poll " + i);
		}
		this.events.awaitExactly(this.user, 5);
		JsonNode page = this.api.get(this.user, "/api/v1/events?limit=2").json();
		assertThat(page.get("items")).hasSize(2);
		assertThat(page.get("hasMore").asBoolean()).isTrue();
		JsonNode next = this.api.get(this.user, "/api/v1/events?limit=2&after=" + page.get("nextCursor").asString())
			.json();
		assertThat(next.get("items").get(0).at("/data/task/title").asString()).isEqualTo("poll 2");
		JsonNode created = this.api
			.get(this.user, "/api/v1/events?type=created&taskId=" + page.get("items").get(0).get("taskId").asLong())
			.json();
		assertThat(created.get("items")).hasSize(1);
	}

	/**
	 * The relay polls only every 30 s here, so this passes only if the commit wakes it.
	 */
	@Test
	void theCommitWakesTheRelayInsteadOfItsPollTimer() {
		this.api.createTask(this.user, "fast");
		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> this.api.get(this.user, "/api/v1/events").json().get("items").size() == 1);
	}

}
