package io.taskstream.analytics;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;

import io.taskstream.Api;
import io.taskstream.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IntegrationTest
class AnalyticsIntegrationTests {

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
