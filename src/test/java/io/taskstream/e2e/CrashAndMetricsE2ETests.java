package io.taskstream.e2e;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.taskstream.Api;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.taskstream.e2e.E2EStack.*;
import static io.taskstream.e2e.PipelineChecks.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Through the real stack ({@link E2EStack}): a subscriber killed mid-stream loses
 * nothing, and after all the earlier classes each role's Prometheus endpoint shows what
 * went through it (publish failures of {@link FailureRecoveryE2ETests} included).
 */
@ExtendWith(E2EStack.class)
@Order(4)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashAndMetricsE2ETests {

	@BeforeAll
	static void analyticsRuns() {
		withAnalytics();
	}

	/**
	 * Scenario 5: a subscriber dies mid-stream (SIGKILL); nothing is lost or applied
	 * twice.
	 */
	@Test
	@Order(7)
	void aSubscriberKilledMidStreamLosesNothingAndAppliesNothingTwice() throws Exception {
		String user = Api.newUser();
		int total = 60;
		ExecutorService writer = Executors.newSingleThreadExecutor();
		Future<?> writing = writer.submit(() -> {
			for (int i = 0; i < total; i++) {
				assertThat(tasks.post(user, "/api/v1/tasks", "{\"title\":\"stream " + i + "\"}").status())
					.isEqualTo(201);
				sleepQuietly(50);
			}
		});
		await().atMost(Duration.ofSeconds(30))
			.until(() -> analytics.get(user, "/api/v1/analytics/summary").status() == 200
					&& analytics.get(user, "/api/v1/analytics/summary").json().get("created").asLong() > 5);
		stack.kill("analytics");
		writing.get();
		writer.shutdown();
		stack.start("analytics");

		List<String> ids = audit.awaitExactly(user, total)
			.stream()
			.map((event) -> event.get("eventId").asString())
			.toList();
		await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
			assertThat(analytics.get(user, "/api/v1/analytics/summary").json().get("created").asLong())
				.isEqualTo(total);
			assertThat(processed("analytics", ids)).isEqualTo(total);
		});
	}

	/**
	 * After all the above, each role's Prometheus endpoint shows what went through it.
	 */
	@Test
	@Order(8)
	void everyRoleExposesItsPipelineMetricsWithNonZeroValues() {
		String tasksMetrics = scrape("tasks");
		assertThat(metric(tasksMetrics, "taskstream_publish_seconds_count", "topic=\"task.created\"")).isPositive();
		assertThat(metric(tasksMetrics, "taskstream_publish_failures_total", "reason=\"unavailable\"")).isPositive();
		assertThat(metric(tasksMetrics, "taskstream_outbox_backlog_rows", "")).isZero();
		assertThat(tasksMetrics).contains("taskstream_outbox_oldest_age_seconds");
		for (String role : List.of("analytics", "notifications", "audit")) {
			String metrics = scrape(role);
			assertThat(metric(metrics, "taskstream_events_consumed_total", "outcome=\"success\"")).as(role)
				.isPositive();
			assertThat(metric(metrics, "taskstream_event_lag_seconds_count", "")).as(role).isPositive();
			assertThat(metrics).contains("taskstream_event_lag_seconds_bucket");
		}
		assertThat(metric(scrape("audit"), "taskstream_events_consumed_total", "outcome=\"drop\"")).isPositive();
		assertThat(metric(scrape("audit"), "taskstream_dead_letters_total", "")).isPositive();
	}

}
