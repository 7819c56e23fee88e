package io.taskstream.tasks;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.taskstream.events.CloudEvents;
import io.taskstream.events.EventType;
import io.taskstream.events.TaskEvent;
import io.taskstream.events.TaskSnapshot;
import io.taskstream.platform.FourDigitYear;
import io.taskstream.platform.Text;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API's bounds and the event schema agree: what the API accepts, the schema accepts,
 * and what the schema refuses, the API refuses first (so no accepted change dead-letters
 * at every subscriber).
 */
class TaskBoundsSchemaTests {

	@Test
	void theLargestTaskTheApiAcceptsIsAValidEvent() {
		Task task = new Task(1, "😀".repeat(TaskConstraints.MAX_TITLE), "漢".repeat(TaskConstraints.MAX_DESCRIPTION),
				Task.Status.OPEN, Task.Priority.LOW, Instant.parse("9999-12-31T23:59:59.999999Z"),
				List.of("a".repeat(TaskConstraints.MAX_TAG)), Instant.now(), Instant.now(), null, 1);
		assertThat(CloudEvents.validate(envelope(task))).isEmpty();
		assertThat(
				Text.Validator.problem(task.title(), TaskConstraints.MAX_TITLE, TaskConstraints.MAX_TITLE_BYTES, false))
			.isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "+300000-01-01T00:00:00Z" })
	void aDueDateOutsideFourDigitYearsIsRefusedByBoth(String dueDate) {
		Instant instant = Instant.parse(dueDate);
		assertThat(FourDigitYear.Validator.allows(instant)).isFalse();
		ObjectNode event = envelope(task(instant, "title"));
		((ObjectNode) event.get("data").get("task")).put("dueDate", instant.toString());
		assertThat(CloudEvents.validate(event)).isNotEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "a\u0000b", "a\u0007b", "a\nb", "a\u007Fb", "a\u0085b" })
	void aTitleWithAControlCharacterIsRefusedByBoth(String title) {
		assertThat(Text.Validator.problem(title, 200, 800, false)).contains("control");
		assertThat(CloudEvents.validate(envelope(task(null, title)))).isNotEmpty();
	}

	@Test
	void aDescriptionMayHoldTabsAndNewlinesOnly() {
		assertThat(Text.Validator.problem("a\tb\nc", 10, 30, true)).isNull();
		assertThat(Text.Validator.problem("a\rb", 10, 30, true)).contains("control");
		assertThat(Text.Validator.problem("a\uD800b", 10, 30, true)).contains("surrogate");
	}

	private static Task task(Instant dueDate, String title) {
		return new Task(1, title, null, Task.Status.OPEN, Task.Priority.LOW, dueDate, List.of(), Instant.now(),
				Instant.now(), null, 1);
	}

	private static ObjectNode envelope(Task task) {
		TaskSnapshot snapshot = task.snapshot();
		TaskEvent event = new TaskEvent(UUID.randomUUID(), EventType.CREATED.value(), TaskEvent.SCHEMA_VERSION, 1,
				"alice", Instant.now(), 1, new TaskEvent.Data(snapshot, null), new TaskEvent.Metadata("api", null, 1));
		JsonNode cloudEvent = CloudEvents.tree(CloudEvents.write(event, null));
		return (ObjectNode) cloudEvent.get("data");
	}

}
