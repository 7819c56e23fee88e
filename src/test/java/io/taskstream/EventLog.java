package io.taskstream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.taskstream.events.CloudEvents;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Reads a user's events from the audit role's polling API, as a client would. */
public final class EventLog {

	private final Api api;

	public EventLog(Api api) {
		this.api = api;
	}

	/** The audit role's API this log reads from. */
	public Api api() {
		return this.api;
	}

	/** Every event of the user, following the cursor to the end. */
	public List<JsonNode> all(String user) {
		List<JsonNode> events = new ArrayList<>();
		String cursor = "0";
		while (true) {
			Api.Response response = this.api.get(user, "/api/v1/events?limit=500&after=" + cursor);
			assertThat(response.status()).as(response.body()).isEqualTo(200);
			JsonNode page = response.json();
			page.get("items").forEach(events::add);
			cursor = page.get("nextCursor").asString();
			if (!page.get("hasMore").asBoolean()) {
				return events;
			}
		}
	}

	/**
	 * Waits until the user has exactly {@code count} events, checking each against the
	 * schema.
	 */
	public List<JsonNode> awaitExactly(String user, int count) {
		List<List<JsonNode>> seen = new ArrayList<>();
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
			List<JsonNode> events = all(user);
			assertThat(events).hasSize(count);
			seen.add(events);
		});
		List<JsonNode> events = seen.get(seen.size() - 1);
		for (JsonNode event : events) {
			assertThat(CloudEvents.validate(event)).as("schema violations of %s", event).isEmpty();
		}
		return events;
	}

	public static List<String> types(List<JsonNode> events) {
		return events.stream().map((event) -> event.get("eventType").asString()).toList();
	}

}
