package io.taskstream.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CloudEventsTests {

	static TaskEvent sampleEvent(EventType type) {
		Instant now = Instant.parse("2026-01-01T10:00:00.123456Z");
		TaskSnapshot task = new TaskSnapshot(42, "Write tests", null, "OPEN", "HIGH", null, List.of("work"), now, now,
				null, 3);
		return new TaskEvent(UUID.randomUUID(), type.value(), TaskEvent.SCHEMA_VERSION, 42, "alice", now, 3,
				new TaskEvent.Data(task, Map.of("title", new TaskEvent.Change("a", "Write tests"))),
				new TaskEvent.Metadata("web", "phone-1", 3));
	}

	@Test
	void aWrittenEventIsACloudEventWhoseIdIsTheEventId() {
		TaskEvent event = sampleEvent(EventType.UPDATED);
		ObjectNode cloudEvent = (ObjectNode) CloudEvents.tree(CloudEvents.write(event, null));
		assertThat(cloudEvent.get("specversion").asString()).isEqualTo("1.0");
		assertThat(cloudEvent.get("id").asString()).isEqualTo(event.eventId().toString());
		assertThat(cloudEvent.get("type").asString()).isEqualTo("io.taskstream.task.updated.v1");
		assertThat(cloudEvent.get("subject").asString()).isEqualTo("42");
		assertThat(cloudEvent.has("traceparent")).isFalse();
		assertThat(CloudEvents.validate(cloudEvent.get("data"))).isEmpty();
	}

	@Test
	void readingAWrittenEventGivesItBack() {
		TaskEvent event = sampleEvent(EventType.COMPLETED);
		String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
		TaskEvent read = CloudEvents.read(CloudEvents.write(event, traceparent).getBytes(StandardCharsets.UTF_8));
		assertThat(read.eventId()).isEqualTo(event.eventId());
		assertThat(read.data().task()).isEqualTo(event.data().task());
		assertThat(read.data().changes()).containsKey("title");
		assertThat(read.metadata()).isEqualTo(event.metadata());
	}

	@Test
	void unknownFieldsAreIgnored() {
		ObjectNode cloudEvent = (ObjectNode) CloudEvents.tree(CloudEvents.write(sampleEvent(EventType.CREATED), null));
		((ObjectNode) cloudEvent.get("data")).put("addedInV1_1", "anything");
		TaskEvent read = CloudEvents.read(cloudEvent.toString().getBytes(StandardCharsets.UTF_8));
		assertThat(read.taskId()).isEqualTo(42);
	}

	@Test
	void bytesThatAreNotJsonArePoison() {
		assertThatExceptionOfType(PoisonEventException.class)
			.isThrownBy(() -> CloudEvents.read("{not json".getBytes(StandardCharsets.UTF_8)))
			.withMessageContaining("not JSON");
	}

	@Test
	void anEnvelopeThatFailsTheSchemaIsPoison() {
		ObjectNode cloudEvent = (ObjectNode) CloudEvents.tree(CloudEvents.write(sampleEvent(EventType.CREATED), null));
		ObjectNode data = (ObjectNode) cloudEvent.get("data");
		data.remove("userId");
		data.put("eventId", "not-a-uuid");
		assertThatExceptionOfType(PoisonEventException.class)
			.isThrownBy(() -> CloudEvents.read(cloudEvent.toString().getBytes(StandardCharsets.UTF_8)))
			.withMessageContaining("userId")
			.withMessageContaining("uuid");
	}

	@Test
	void aCloudEventWithoutDataIsPoison() {
		assertThatExceptionOfType(PoisonEventException.class)
			.isThrownBy(() -> CloudEvents.read("{\"id\":\"1\"}".getBytes(StandardCharsets.UTF_8)))
			.withMessageContaining("data");
	}

}
