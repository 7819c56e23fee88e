package io.taskstream.e2e;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.taskstream.Api;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import static io.taskstream.e2e.E2EStack.*;
import static io.taskstream.e2e.PipelineChecks.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Delivery through the real stack ({@link E2EStack}): a subscriber that starts late still
 * gets what was published before, and every event reaches every subscriber exactly once,
 * in per-task order. Runs first: the stack starts without the analytics role.
 */
@ExtendWith(E2EStack.class)
@Order(1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeliveryE2ETests {

	/**
	 * Scenario 2: offsets start at the oldest message for a consumer group that is new.
	 */
	@Test
	@Order(1)
	void aSubscriberStartedAfterEventsWerePublishedStillReceivesThem() {
		String user = Api.newUser();
		long id = tasks.createTask(user, "before analytics existed").get("id").asLong();
		tasks.post(user, "/api/v1/tasks/" + id + "/complete", "");
		audit.awaitExactly(user, 2);

		stack.startAll(List.of("analytics", "analytics-dapr"));

		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			JsonNode summary = analytics.get(user, "/api/v1/analytics/summary").json();
			assertThat(summary.get("created").asLong()).isEqualTo(1);
			assertThat(summary.get("completed").asLong()).isEqualTo(1);
		});
	}

	/**
	 * Scenario 1: every event reaches all three subscribers exactly once, in per-task
	 * order.
	 */
	@Test
	@Order(2)
	void everyEventReachesEverySubscriberExactlyOnceInPerTaskOrder() throws SQLException {
		Map<String, int[]> expected = new HashMap<>();
		List<String> users = List.of(Api.newUser(), Api.newUser(), Api.newUser());
		for (String user : users) {
			int created = 0;
			int completed = 0;
			int deleted = 0;
			for (int i = 0; i < 4; i++) {
				long id = tasks.createTask(user, "task " + i).get("id").asLong();
				created++;
				tasks.patch(user, "/api/v1/tasks/" + id,
						"{\"title\":\"task " + i + " renamed\",\"priority\":\"HIGH\"}");
				if (i % 2 == 0) {
					tasks.post(user, "/api/v1/tasks/" + id + "/complete", "");
					completed++;
				}
				if (i == 3) {
					tasks.delete(user, "/api/v1/tasks/" + id);
					deleted++;
				}
			}
			expected.put(user, new int[] { created, completed, deleted });
		}

		for (String user : users) {
			int[] counts = expected.get(user);
			int total = counts[0] * 2 + counts[1] + counts[2];
			List<JsonNode> log = audit.awaitExactly(user, total);
			Map<Long, List<Long>> sequences = new HashMap<>();
			log.forEach((event) -> sequences.computeIfAbsent(event.get("taskId").asLong(), (k) -> new ArrayList<>())
				.add(event.get("sequence").asLong()));
			sequences.values().forEach((seq) -> assertThat(seq).isSorted().doesNotHaveDuplicates());
			List<String> ids = log.stream().map((event) -> event.get("eventId").asString()).toList();

			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				JsonNode summary = analytics.get(user, "/api/v1/analytics/summary").json();
				assertThat(summary.get("created").asLong()).isEqualTo(counts[0]);
				assertThat(summary.get("completed").asLong()).isEqualTo(counts[1]);
				assertThat(summary.get("deleted").asLong()).isEqualTo(counts[2]);
				assertThat(summary.get("open").asLong()).isEqualTo(counts[0] - counts[1] - counts[2]);
				assertThat(notifications.get(user, "/api/v1/notifications").json()).hasSize(counts[1] + counts[2]);
				assertThat(processed("analytics", ids)).isEqualTo(ids.size());
				assertThat(processed("notifications", ids)).isEqualTo(ids.size());
			});
		}
	}

}
