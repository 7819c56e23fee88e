package io.taskstream.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.taskstream.Api;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One user's day of activity through the task API, and the analytics numbers and
 * notifications that day must produce, worked out from the script itself (completion
 * durations from the API's own answers), never from the system under test.
 */
final class ScriptedDay {

	final String user;

	private final Api tasks;

	int created;

	int completed;

	int deleted;

	int reopened;

	int open;

	/**
	 * Notifications the day is worth: added on a device, due date, completed, deleted.
	 */
	int notifications;

	/** Events of the types a webhook on created, completed and deleted gets. */
	int createdCompletedDeleted;

	/** Every event the day made. */
	int events;

	/** Seconds from creation to each completion, as analytics computes them. */
	final List<Double> durations = new ArrayList<>();

	ScriptedDay(Api tasks, String user) {
		this.tasks = tasks;
		this.user = user;
	}

	/**
	 * Five tasks, two added on a phone; a due date set and a title changed; three
	 * completed, one of them reopened and completed again; a completed and an open one
	 * deleted; then {@code extra} more tasks left open.
	 */
	ScriptedDay run(int extra) {
		long[] ids = new long[5];
		for (int i = 0; i < ids.length; i++) {
			ids[i] = create("task " + i, (i < 2) ? "phone" : null);
		}
		patch(ids[0], "{\"dueDate\":\"2026-12-24T18:00:00Z\"}");
		this.notifications++;
		patch(ids[1], "{\"title\":\"task 1, renamed\"}");
		complete(ids[0]);
		complete(ids[1]);
		complete(ids[2]);
		patch(ids[1], "{\"status\":\"OPEN\"}");
		this.reopened++;
		this.open++;
		complete(ids[1]);
		delete(ids[2], false);
		delete(ids[3], true);
		for (int i = 0; i < extra; i++) {
			create("extra " + i, null);
		}
		return this;
	}

	long create(String title, String device) {
		var request = this.tasks.request(this.user, "/api/v1/tasks")
			.header("Content-Type", "application/json")
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"title\":\"" + title + "\"}"));
		if (device != null) {
			request.header("X-Device-Id", device);
			this.notifications++;
		}
		Api.Response response = this.tasks.send(request);
		assertThat(response.status()).as(response.body()).isEqualTo(201);
		this.created++;
		this.events++;
		this.open++;
		this.createdCompletedDeleted++;
		return response.json().get("id").asLong();
	}

	void complete(long id) {
		Api.Response response = this.tasks.post(this.user, "/api/v1/tasks/" + id + "/complete", "");
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		JsonNode task = response.json();
		this.durations.add(Duration
			.between(Instant.parse(task.get("createdAt").asString()), Instant.parse(task.get("completedAt").asString()))
			.toMillis() / 1000.0);
		this.completed++;
		this.events++;
		this.open--;
		this.notifications++;
		this.createdCompletedDeleted++;
	}

	void delete(long id, boolean wasOpen) {
		assertThat(this.tasks.delete(this.user, "/api/v1/tasks/" + id).status()).isEqualTo(204);
		this.deleted++;
		this.events++;
		this.open -= wasOpen ? 1 : 0;
		this.notifications++;
		this.createdCompletedDeleted++;
	}

	private void patch(long id, String body) {
		Api.Response response = this.tasks.patch(this.user, "/api/v1/tasks/" + id, body);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		this.events++;
	}

	/** The analytics summary must show exactly the script's numbers. */
	void assertSummary(JsonNode summary) {
		assertThat(summary.get("created").asLong()).as("created").isEqualTo(this.created);
		assertThat(summary.get("completed").asLong()).as("completed").isEqualTo(this.completed);
		assertThat(summary.get("deleted").asLong()).as("deleted").isEqualTo(this.deleted);
		assertThat(summary.get("reopened").asLong()).as("reopened").isEqualTo(this.reopened);
		assertThat(summary.get("open").asLong()).as("open").isEqualTo(this.open);
		JsonNode duration = summary.get("completionDuration");
		assertThat(duration.get("count").asLong()).isEqualTo(this.durations.size());
		assertThat(duration.get("meanSeconds").asDouble())
			.isCloseTo(this.durations.stream().mapToDouble(Double::doubleValue).average().orElseThrow(), within());
		assertThat(duration.get("p50Seconds").asDouble()).isCloseTo(percentile(0.5), within());
		assertThat(duration.get("p95Seconds").asDouble()).isCloseTo(percentile(0.95), within());
	}

	/** PostgreSQL's percentile_cont: linear interpolation between the closest ranks. */
	private double percentile(double fraction) {
		List<Double> sorted = this.durations.stream().sorted().toList();
		double rank = fraction * (sorted.size() - 1);
		int below = (int) Math.floor(rank);
		int above = (int) Math.ceil(rank);
		return sorted.get(below) + (rank - below) * (sorted.get(above) - sorted.get(below));
	}

	private static org.assertj.core.data.Offset<Double> within() {
		return org.assertj.core.data.Offset.offset(1e-6);
	}

}
