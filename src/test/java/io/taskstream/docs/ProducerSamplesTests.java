package io.taskstream.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.taskstream.events.CloudEvents;
import io.taskstream.events.EventType;
import io.taskstream.events.TaskEvent;
import io.taskstream.events.TaskSnapshot;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code examples/testdata/task-events.json} is one task's life (created, updated,
 * completed, deleted) exactly as the producer writes it, nulls and all, so the example
 * subscribers' tests check their validators against real output, not only their own
 * hand-made events. Regenerate with {@code -Dtaskstream.docs.update=true}.
 */
class ProducerSamplesTests {

	static final Path SAMPLES = Path.of("examples/testdata/task-events.json");

	private static final JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	@Test
	void theExamplesSamplesAreWhatTheProducerWrites() throws IOException {
		String generated = json.writeValueAsString(samples()) + "\n";
		if (Boolean.getBoolean("taskstream.docs.update")) {
			Files.createDirectories(SAMPLES.getParent());
			Files.writeString(SAMPLES, generated, StandardCharsets.UTF_8);
		}
		assertThat(Files.readString(SAMPLES, StandardCharsets.UTF_8))
			.as("%s is out of date: run ./mvnw test -Dtest=ProducerSamplesTests -Dtaskstream.docs.update=true", SAMPLES)
			.isEqualTo(generated);
	}

	@Test
	void everySampleIsValidByTheSchema() {
		for (JsonNode sample : samples()) {
			assertThat(CloudEvents.validate(sample.path("data"))).as(sample.path("type").asString()).isEmpty();
		}
	}

	static ArrayNode samples() {
		long task = 4201;
		Instant created = Instant.parse("2026-11-30T09:00:00.120000Z");
		Instant updated = Instant.parse("2026-11-30T09:05:30.000001Z");
		Instant completed = Instant.parse("2026-11-30T10:00:00Z");
		Instant deleted = Instant.parse("2026-11-30T11:00:00Z");
		TaskSnapshot v1 = new TaskSnapshot(task, "Write the contract", null, "OPEN", "MEDIUM", null, List.of(), created,
				created, null, 1);
		TaskSnapshot v2 = new TaskSnapshot(task, "Write the event contract", "For teams in any language", "OPEN",
				"HIGH", Instant.parse("2026-12-01T17:00:00Z"), List.of("docs", "events"), created, updated, null, 2);
		TaskSnapshot v3 = new TaskSnapshot(task, v2.title(), v2.description(), "COMPLETED", "HIGH", v2.dueDate(),
				v2.tags(), created, completed, completed, 3);
		Map<String, TaskEvent.Change> edits = new LinkedHashMap<>();
		edits.put("title", new TaskEvent.Change("Write the contract", "Write the event contract"));
		edits.put("description", new TaskEvent.Change(null, "For teams in any language"));
		edits.put("priority", new TaskEvent.Change("MEDIUM", "HIGH"));
		Map<String, TaskEvent.Change> completion = new LinkedHashMap<>();
		completion.put("status", new TaskEvent.Change("OPEN", "COMPLETED"));
		completion.put("completedAt", new TaskEvent.Change(null, completed.toString()));
		ArrayNode samples = json.createArrayNode();
		samples.add(sample(EventType.CREATED, "0b5c3c9e-51a4-4c8e-9a55-7c1a1f0e2a01", created, v1, null, "web", null,
				"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
		samples.add(sample(EventType.UPDATED, "0b5c3c9e-51a4-4c8e-9a55-7c1a1f0e2a02", updated, v2, edits, "cli",
				"laptop-7", null));
		samples.add(sample(EventType.COMPLETED, "0b5c3c9e-51a4-4c8e-9a55-7c1a1f0e2a03", completed, v3, completion,
				"api", null, null));
		samples.add(sample(EventType.DELETED, "0b5c3c9e-51a4-4c8e-9a55-7c1a1f0e2a04", deleted, v3, null, "web",
				"phone-1", null));
		return samples;
	}

	private static JsonNode sample(EventType type, String id, Instant at, TaskSnapshot task,
			Map<String, TaskEvent.Change> changes, String source, String deviceId, String traceparent) {
		long sequence = (type == EventType.DELETED) ? 4 : task.version();
		TaskEvent event = new TaskEvent(UUID.fromString(id), type.value(), TaskEvent.SCHEMA_VERSION, task.id(), "alice",
				at, sequence, new TaskEvent.Data(task, changes), new TaskEvent.Metadata(source, deviceId, sequence));
		return json.readTree(CloudEvents.write(event, traceparent));
	}

}
