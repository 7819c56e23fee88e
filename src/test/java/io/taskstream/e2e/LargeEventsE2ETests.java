package io.taskstream.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.taskstream.Api;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import static io.taskstream.e2e.E2EStack.*;
import static io.taskstream.e2e.PipelineChecks.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every valid task fits through the real pipe ({@link E2EStack}): the largest task the
 * API accepts (the most characters of the most UTF-8 bytes in every field), then an
 * update of every field, which carries the long description three times, go through the
 * sidecars and Kafka to every subscriber, with no dead letter.
 */
@ExtendWith(E2EStack.class)
@Order(6)
class LargeEventsE2ETests {

	/** The API's bounds (TaskConstraints), in characters. */
	static final int TITLE = 200;

	static final int DESCRIPTION = 10_000;

	static final int TAGS = 20;

	static final int TAG = 50;

	@BeforeAll
	static void analyticsRuns() {
		withAnalytics();
	}

	@Test
	void theLargestTaskAndAnUpdateOfEveryFieldReachEverySubscriber() {
		String user = Api.newUser();
		ObjectNode largest = Api.json.createObjectNode()
			.put("title", "😀".repeat(TITLE))
			.put("description", "漢".repeat(DESCRIPTION))
			.put("priority", "LOW")
			.put("dueDate", "9999-12-31T23:59:59Z");
		largest.set("tags", tags(0x4E00));
		Api.Response created = tasks.post(user, "/api/v1/tasks", largest.toString());
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		long id = created.json().get("id").asLong();
		ObjectNode everyField = Api.json.createObjectNode()
			.put("title", "🙂".repeat(TITLE))
			.put("description", "語".repeat(DESCRIPTION))
			.put("priority", "HIGH")
			.put("dueDate", "0001-01-01T00:00:00Z");
		everyField.set("tags", tags(0x5E00));
		Api.Response updated = tasks.patch(user, "/api/v1/tasks/" + id, everyField.toString());
		assertThat(updated.status()).as(updated.body()).isEqualTo(200);

		List<JsonNode> events = audit.awaitExactly(user, 2);
		assertThat(events.get(1).get("data").get("changes").properties()).extracting(java.util.Map.Entry::getKey)
			.containsExactlyInAnyOrder("title", "description", "priority", "dueDate", "tags");
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			assertThat(analytics.get(user, "/api/v1/analytics/summary").json().get("created").asLong()).isEqualTo(1);
			List<String> kinds = new ArrayList<>();
			notifications.get(user, "/api/v1/notifications").json().forEach((n) -> kinds.add(n.get("kind").asString()));
			assertThat(kinds).contains("updated");
		});
		assertThat(openDeadLetters(events.stream().map((event) -> event.get("eventId").asString()).toList()))
			.as("dead letters of these events")
			.isEmpty();
	}

	/** The most tags, each of the most characters, all different. */
	private static ArrayNode tags(int firstCodePoint) {
		ArrayNode tags = Api.json.createArrayNode();
		IntStream.range(0, TAGS).forEach((i) -> tags.add(Character.toString(firstCodePoint + i).repeat(TAG)));
		return tags;
	}

}
