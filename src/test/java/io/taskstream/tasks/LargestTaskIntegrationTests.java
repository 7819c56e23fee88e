package io.taskstream.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.taskstream.Api;
import io.taskstream.EventLog;
import io.taskstream.IntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every valid task fits through the pipe: the largest task the API accepts, then an
 * update of every field and its completion, are applied by every subscriber with no dead
 * letter, each event valid against the JSON Schema and far below the broker's 1 MiB
 * limit.
 */
@IntegrationTest
class LargestTaskIntegrationTests {

	/** Half the broker's 1 MiB message limit: room for the CloudEvent and headers. */
	static final int EVENT_BUDGET = 512 * 1024;

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Test
	void theLargestValidTaskAndAnUpdateOfEveryFieldReachEverySubscriber() {
		Api api = Api.onPort(this.port);
		String user = Api.newUser();
		ObjectNode largest = Api.json.createObjectNode()
			.put("title", "😀".repeat(TaskConstraints.MAX_TITLE))
			.put("description", "漢".repeat(TaskConstraints.MAX_DESCRIPTION))
			.put("priority", "LOW")
			.put("dueDate", "9999-12-31T23:59:59.999999Z");
		largest.set("tags", tags(0x4E00));
		Api.Response created = api.post(user, "/api/v1/tasks", largest.toString());
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		long id = created.json().get("id").asLong();

		ObjectNode everyField = Api.json.createObjectNode()
			.put("title", "🙂".repeat(TaskConstraints.MAX_TITLE))
			.put("description", "語".repeat(TaskConstraints.MAX_DESCRIPTION - 2) + "\n\t")
			.put("priority", "HIGH")
			.put("dueDate", "0001-01-01T00:00:00Z");
		everyField.set("tags", tags(0x5E00));
		Api.Response updated = api.patch(user, "/api/v1/tasks/" + id, everyField.toString());
		assertThat(updated.status()).as(updated.body()).isEqualTo(200);
		assertThat(api.post(user, "/api/v1/tasks/" + id + "/complete", "").status()).isEqualTo(200);

		// audit: all three stored, each valid against the schema
		List<JsonNode> events = new EventLog(api).awaitExactly(user, 3);
		assertThat(EventLog.types(events)).containsExactly("created", "updated", "completed");
		assertThat(events.get(1).get("data").get("changes").properties()).extracting(java.util.Map.Entry::getKey)
			.containsExactlyInAnyOrder("title", "description", "priority", "dueDate", "tags");
		List<Integer> sizes = this.jdbc
			.sql("SELECT octet_length(envelope::text) FROM audit.events WHERE user_id = ? ORDER BY position")
			.param(user)
			.query(Integer.class)
			.list();
		// the update carries the description three times, and still stays far below the
		// limit
		assertThat(sizes.get(1)).isGreaterThan(3 * 30_000).isLessThan(EVENT_BUDGET);
		// analytics and notifications applied them too
		await().untilAsserted(() -> {
			JsonNode summary = api.get(user, "/api/v1/analytics/summary").json();
			assertThat(summary.get("created").asLong()).isEqualTo(1);
			assertThat(summary.get("completed").asLong()).isEqualTo(1);
			List<String> kinds = new ArrayList<>();
			api.get(user, "/api/v1/notifications").json().forEach((n) -> kinds.add(n.get("kind").asString()));
			assertThat(kinds).containsExactly("completed", "updated");
		});
		assertThat(this.jdbc.sql("SELECT count(*) FROM audit.dead_letters WHERE payload LIKE ?")
			.param("%" + user + "%")
			.query(Long.class)
			.single()).isZero();
	}

	/** The most tags, each of the most characters, all different. */
	private static tools.jackson.databind.node.ArrayNode tags(int firstCodePoint) {
		tools.jackson.databind.node.ArrayNode tags = Api.json.createArrayNode();
		IntStream.range(0, TaskConstraints.MAX_TAGS)
			.forEach((i) -> tags.add(Character.toString(firstCodePoint + i).repeat(TaskConstraints.MAX_TAG)));
		return tags;
	}

}
