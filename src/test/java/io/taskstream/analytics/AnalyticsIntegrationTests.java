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
	}

	@Test
	void badRangesAreProblems() {
		for (String query : new String[] { "from=2026-02-01&to=2026-01-01", "from=2024-01-01&to=2026-01-01",
				"from=yesterday", "to=2026-13-01" }) {
			Api.Response response = this.api.get(this.user, "/api/v1/analytics/summary?" + query);
			assertThat(response.status()).as(query).isEqualTo(400);
			assertThat(response.json().get("type").asString())
				.isEqualTo("https://taskstream.io/problems/invalid-request");
		}
	}

}
