package io.taskstream.events.transport;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.taskstream.events.CloudEvents;
import io.taskstream.events.EventType;
import io.taskstream.events.TaskEvent;
import io.taskstream.events.TaskSnapshot;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

class DaprTransportTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

	@Test
	void eachBulkEntryCarriesItsEventAsStoredWithItsOwnTraceAndItsTaskAsPartitionKey() {
		String traced = cloudEvent(7, TRACEPARENT);
		String untraced = cloudEvent(8, null);
		JsonNode entries = json
			.readTree(DaprTransport.bulkBody(List.of(new Message(41, "task.created", 7, traced, TRACEPARENT, 0),
					new Message(42, "task.created", 8, untraced, null, 0))));

		assertThat(entries).hasSize(2);
		JsonNode first = entries.get(0);
		assertThat(first.get("entryId").asString()).isEqualTo("41");
		assertThat(first.get("contentType").asString()).isEqualTo(CloudEvents.CONTENT_TYPE);
		assertThat(first.get("metadata").get("partitionKey").asString()).isEqualTo("7");
		ObjectNode expected = (ObjectNode) json.readTree(traced);
		expected.put("traceid", TRACEPARENT);
		assertThat(first.get("event")).isEqualTo(expected);
		assertThat(entries.get(1).get("event")).isEqualTo(json.readTree(untraced));
		assertThat(entries.get(1).get("metadata").get("partitionKey").asString()).isEqualTo("8");
	}

	@Test
	void anEventWithoutTheTraceOfItsMessageIsRewrittenWithIt() {
		// e.g. written without one, or with another: the message's trace wins
		String event = cloudEvent(9, "00-11111111111111111111111111111111-2222222222222222-01");

		JsonNode written = json
			.readTree(DaprTransport.withTrace(new Message(1, "task.created", 9, event, TRACEPARENT, 0)));

		assertThat(written.get("traceparent").asString()).isEqualTo(TRACEPARENT);
		assertThat(written.get("traceid").asString()).isEqualTo(TRACEPARENT);
		assertThat(written.get("id").asString()).isEqualTo(json.readTree(event).get("id").asString());
		assertThat(json
			.readTree(DaprTransport.withTrace(new Message(1, "task.created", 9, cloudEvent(9, null), TRACEPARENT, 0)))
			.get("traceid")
			.asString()).isEqualTo(TRACEPARENT);
	}

	private static String cloudEvent(long taskId, String traceparent) {
		Instant now = Instant.parse("2026-11-30T20:00:00Z");
		TaskSnapshot task = new TaskSnapshot(taskId, "Write the report", null, "OPEN", "HIGH", null, List.of("q4"), now,
				now, null, 1);
		TaskEvent event = new TaskEvent(UUID.randomUUID(), EventType.CREATED.value(), TaskEvent.SCHEMA_VERSION, taskId,
				"alice", now, 1, new TaskEvent.Data(task, null), new TaskEvent.Metadata("api", null, 1));
		return CloudEvents.write(event, traceparent);
	}

}
