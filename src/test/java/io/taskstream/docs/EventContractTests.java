package io.taskstream.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import java.util.UUID;

import io.taskstream.events.CloudEvents;
import io.taskstream.events.EventType;
import io.taskstream.events.PoisonEventException;
import io.taskstream.events.TaskEvent;
import io.taskstream.events.TaskSnapshot;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The event contract of docs/events.md as the v1 reader (the Java subscriber path:
 * CloudEvent parsing and schema validation) applies it: every CloudEvent names its
 * schema, and what v1 may still grow (optional fields, new {@code metadata.source}
 * values) is read, not dropped, while a change only a new version may make is poison.
 */
class EventContractTests {

	static final Path SCHEMA = Path.of("src/main/resources/schemas/task-event.v1.schema.json");

	static TaskEvent event(long taskId, long sequence, String source) {
		return event(EventType.CREATED, taskId, sequence, source);
	}

	static TaskEvent event(EventType type, long taskId, long sequence, String source) {
		Instant now = Instant.parse("2026-11-30T10:00:00Z");
		TaskSnapshot task = new TaskSnapshot(taskId, "Contract", null, "OPEN", "LOW", null, List.of(), now, now, null,
				sequence);
		return new TaskEvent(UUID.randomUUID(), type.value(), TaskEvent.SCHEMA_VERSION, taskId, "contract-user", now,
				sequence, new TaskEvent.Data(task, null), new TaskEvent.Metadata(source, null, sequence));
	}

	/**
	 * A CloudEvent as a later v1 producer might write it: an extension attribute, a new
	 * optional field at every level and a {@code metadata.source} this reader has never
	 * seen.
	 */
	static byte[] fromALaterV1Producer(TaskEvent event) {
		ObjectNode cloudEvent = (ObjectNode) CloudEvents.tree(CloudEvents.write(event, null));
		cloudEvent.put("partitionhint", "7");
		ObjectNode data = (ObjectNode) cloudEvent.get("data");
		data.put("tenantId", "acme");
		((ObjectNode) data.get("data")).put("reason", "imported");
		((ObjectNode) data.get("data").get("task")).put("estimateMinutes", 30);
		ObjectNode metadata = (ObjectNode) data.get("metadata");
		metadata.put("source", "mobile");
		metadata.put("appVersion", "5.2.0");
		data.put("schemaVersion", "1.1");
		return cloudEvent.toString().getBytes(StandardCharsets.UTF_8);
	}

	@Test
	void everyCloudEventNamesTheSchemaOfItsDataByItsId() throws IOException {
		JsonNode schema = JsonMapper.builder().build().readTree(SCHEMA.toFile());
		assertThat(CloudEvents.DATA_SCHEMA).isEqualTo(schema.path("$id").asString());
		for (EventType type : EventType.values()) {
			JsonNode cloudEvent = CloudEvents.tree(CloudEvents.write(event(type, 1, 1, "web"), null));
			assertThat(cloudEvent.path("dataschema").asString()).as(type.name()).isEqualTo(CloudEvents.DATA_SCHEMA);
		}
	}

	@Test
	void aV1ReaderTakesUnknownFieldsAndANewSourceFromALaterV1Producer() {
		TaskEvent event = event(41, 1, "web");

		TaskEvent read = CloudEvents.read(fromALaterV1Producer(event));

		assertThat(read.eventId()).isEqualTo(event.eventId());
		assertThat(read.metadata().source()).isEqualTo("mobile");
		assertThat(read.schemaVersion()).isEqualTo("1.1");
	}

	@Test
	void aNewEventTypeIsNotAV1Event() {
		ObjectNode cloudEvent = (ObjectNode) CloudEvents.tree(CloudEvents.write(event(42, 1, "web"), null));
		((ObjectNode) cloudEvent.get("data")).put("eventType", "archived");
		assertThatExceptionOfType(PoisonEventException.class)
			.isThrownBy(() -> CloudEvents.read(cloudEvent.toString().getBytes(StandardCharsets.UTF_8)))
			.withMessageContaining("eventType");
	}

	@Test
	void aSourceMustStillBeAShortToken() {
		for (String source : List.of("", "Web Browser", "x".repeat(40))) {
			ObjectNode cloudEvent = (ObjectNode) CloudEvents.tree(CloudEvents.write(event(43, 1, "web"), null));
			((ObjectNode) cloudEvent.get("data").get("metadata")).put("source", source);
			assertThatExceptionOfType(PoisonEventException.class).as(source)
				.isThrownBy(() -> CloudEvents.read(cloudEvent.toString().getBytes(StandardCharsets.UTF_8)))
				.withMessageContaining("source");
		}
	}

	@Test
	void aNewMajorVersionIsNotAV1Event() {
		ObjectNode cloudEvent = (ObjectNode) CloudEvents.tree(CloudEvents.write(event(44, 1, "web"), null));
		((ObjectNode) cloudEvent.get("data")).put("schemaVersion", "2.0");
		assertThatExceptionOfType(PoisonEventException.class)
			.isThrownBy(() -> CloudEvents.read(cloudEvent.toString().getBytes(StandardCharsets.UTF_8)))
			.withMessageContaining("schemaVersion");
	}

}
