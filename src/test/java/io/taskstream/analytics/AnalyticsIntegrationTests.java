package io.taskstream.analytics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.taskstream.Api;
import io.taskstream.IntegrationTest;
import io.taskstream.events.CloudEvents;
import io.taskstream.events.EventType;
import io.taskstream.events.Outcome;
import io.taskstream.events.inbox.Subscriptions;
import io.taskstream.events.TaskEvent;
import io.taskstream.events.TaskSnapshot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IntegrationTest
class AnalyticsIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	Subscriptions subscriptions;

	Api api;

	String user;

	@BeforeEach
	void setUp() {
		this.api = Api.onPort(this.port);
		this.user = Api.newUser();
	}

	@Test
	void theSummaryCountsWhatTheUserDid() {
		long first = this.api.createTask(this.user, "one").get("id").asLong();
		long second = this.api.createTask(this.user, "two").get("id").asLong();
		this.api.createTask(this.user, "three");
		this.api.post(this.user, "/api/v1/tasks/" + first + "/complete", "");
		this.api.patch(this.user, "/api/v1/tasks/" + first, "{\"status\":\"OPEN\"}");
		this.api.post(this.user, "/api/v1/tasks/" + first + "/complete", "");
		this.api.delete(this.user, "/api/v1/tasks/" + second);

		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			JsonNode summary = this.api.get(this.user, "/api/v1/analytics/summary").json();
			assertThat(summary.get("created").asLong()).isEqualTo(3);
			assertThat(summary.get("completed").asLong()).isEqualTo(2);
			assertThat(summary.get("reopened").asLong()).isEqualTo(1);
			assertThat(summary.get("deleted").asLong()).isEqualTo(1);
			assertThat(summary.get("open").asLong()).isEqualTo(1);
			assertThat(summary.at("/completionDuration/count").asLong()).isEqualTo(2);
			assertThat(summary.at("/completionDuration/p95Seconds").asDouble())
				.isGreaterThanOrEqualTo(summary.at("/completionDuration/p50Seconds").asDouble());
		});
	}

	@Test
	void aRangeThatHoldsNoActivityIsAllZero() {
		this.api.createTask(this.user, "today");
		LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
		await().until(() -> this.api.get(this.user, "/api/v1/analytics/summary").json().get("created").asLong() == 1);
		JsonNode summary = this.api
			.get(this.user, "/api/v1/analytics/summary?from=" + yesterday.minusDays(30) + "&to=" + yesterday)
			.json();
		assertThat(summary.get("created").asLong()).isZero();
		assertThat(this.api.get(this.user, "/api/v1/analytics/summary?from=2020-01-01").json().get("created").asLong())
			.isEqualTo(1);
	}

	@Test
	void ratesListEveryBucketWithItsCounts() {
		long id = this.api.createTask(this.user, "rated").get("id").asLong();
		this.api.post(this.user, "/api/v1/tasks/" + id + "/complete", "");
		this.api.createTask(this.user, "rated too");
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		await().untilAsserted(() -> {
			JsonNode daily = this.api.get(this.user, "/api/v1/analytics/rates").json();
			assertThat(daily.get("points")).hasSize(7);
			JsonNode last = daily.get("points").get(6);
			assertThat(last.get("start").asString()).isEqualTo(today + "T00:00:00Z");
			assertThat(last.get("created").asLong()).isEqualTo(2);
			assertThat(last.get("completed").asLong()).isEqualTo(1);
		});
		JsonNode hourly = this.api.get(this.user, "/api/v1/analytics/rates?bucket=hour&from=" + today + "&to=" + today)
			.json();
		assertThat(hourly.get("points")).hasSize(24);
		assertThat(hourly.get("points").valueStream().mapToLong((p) -> p.get("created").asLong()).sum()).isEqualTo(2);
		assertThat(this.api.get(this.user, "/api/v1/analytics/rates?bucket=week").status()).isEqualTo(400);
	}

	@Test
	void openTasksAreCountedAtTheEndOfTheRangesLastDay() {
		this.api.createTask(this.user, "open since today");
		await().until(() -> this.api.get(this.user, "/api/v1/analytics/summary").json().get("open").asLong() == 1);
		LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
		assertThat(this.api.get(this.user, "/api/v1/analytics/summary?to=" + yesterday).json().get("open").asLong())
			.isZero();
	}

	@Test
	void totalsAddUpEveryUsersNumbersForOperatorsOnly() {
		// a day of its own, long ago, so that other tests' events do not count
		Instant day = Instant.parse("2001-02-03T09:00:00Z");
		String other = Api.newUser();
		TaskEvents alice = new TaskEvents(this.user, day);
		TaskEvents bob = new TaskEvents(other, day);
		for (TaskEvent event : List.of(alice.created(1), alice.created(2), alice.completed(1, Duration.ofMinutes(30)),
				bob.created(3), bob.completed(3, Duration.ofMinutes(90)), bob.created(4), bob.deleted(4))) {
			assertThat(this.subscriptions.deliver("analytics", event.type().topic(),
					CloudEvents.write(event, null).getBytes(StandardCharsets.UTF_8)))
				.isEqualTo(Outcome.SUCCESS);
		}
		String range = "?from=2001-02-03&to=2001-02-03";
		JsonNode totals = this.api.operator(IntegrationTest.OPERATOR_TOKEN, "/api/v1/analytics/totals" + range, "GET")
			.json();
		assertThat(totals.get("created").asLong()).isEqualTo(4);
		assertThat(totals.get("completed").asLong()).isEqualTo(2);
		assertThat(totals.get("deleted").asLong()).isEqualTo(1);
		assertThat(totals.get("open").asLong()).isEqualTo(1);
		assertThat(totals.at("/completionDuration/count").asLong()).isEqualTo(2);
		assertThat(totals.at("/completionDuration/meanSeconds").asDouble()).isEqualTo(3600.0);
		JsonNode alicesOwn = this.api.get(this.user, "/api/v1/analytics/summary" + range).json();
		assertThat(alicesOwn.get("created").asLong()).isEqualTo(2);
		assertThat(alicesOwn.get("open").asLong()).isEqualTo(1);
		assertThat(this.api.get(this.user, "/api/v1/analytics/totals").status()).isEqualTo(403);
		assertThat(this.api.get(null, "/api/v1/analytics/totals").status()).isEqualTo(401);
		assertThat(this.api.operator("wrong-token", "/api/v1/analytics/totals", "GET").status()).isEqualTo(401);
		assertThat(this.api
			.operator(IntegrationTest.OPERATOR_TOKEN, "/api/v1/analytics/totals?from=2001-02-04&to=2001-02-03", "GET")
			.status()).isEqualTo(400);
	}

	/** Events of one user's tasks on one day, each task's sequence counted up. */
	static final class TaskEvents {

		private final String user;

		private final Instant day;

		private final Map<Long, Long> sequences = new HashMap<>();

		TaskEvents(String user, Instant day) {
			this.user = user;
			this.day = day;
		}

		TaskEvent created(long task) {
			return event(task, EventType.CREATED, "OPEN", this.day, null);
		}

		TaskEvent completed(long task, Duration after) {
			return event(task, EventType.COMPLETED, "COMPLETED", this.day.plus(after), this.day.plus(after));
		}

		TaskEvent deleted(long task) {
			return event(task, EventType.DELETED, "OPEN", this.day.plusSeconds(60), null);
		}

		private TaskEvent event(long task, EventType type, String status, Instant at, Instant completedAt) {
			long id = 7_000_000_000L + Math.abs(this.user.hashCode()) * 10L + task;
			long sequence = this.sequences.merge(task, 1L, Long::sum);
			TaskSnapshot snapshot = new TaskSnapshot(id, "t" + task, null, status, "LOW", null, null, this.day, at,
					completedAt, sequence);
			return new TaskEvent(UUID.randomUUID(), type.value(), TaskEvent.SCHEMA_VERSION, id, this.user, at, sequence,
					new TaskEvent.Data(snapshot, null), new TaskEvent.Metadata("api", null, sequence));
		}

	}

	@Test
	void badRangesAreProblems() {
		for (String query : new String[] { "summary?from=2026-02-01&to=2026-01-01",
				"summary?from=2024-01-01&to=2026-01-01", "summary?from=yesterday", "summary?to=2026-13-01",
				"rates?from=2026-02-01&to=2026-01-01", "rates?from=2020-01-01&to=2026-01-01" }) {
			Api.Response response = this.api.get(this.user, "/api/v1/analytics/" + query);
			assertThat(response.status()).as(query).isEqualTo(400);
			assertThat(response.json().get("type").asString())
				.isEqualTo("https://taskstream.io/problems/invalid-request");
		}
	}

}
