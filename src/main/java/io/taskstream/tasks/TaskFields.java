package io.taskstream.tasks;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.taskstream.platform.FieldProblem;
import io.taskstream.platform.Problems;
import tools.jackson.databind.JsonNode;

/**
 * The fields a client sent, checked: one reader for both a new task ({@code POST}) and a
 * JSON merge patch ({@code PATCH}, where {@code null} clears a field). Every problem in
 * the body is reported at once, and nothing is written unless there are none.
 */
final class TaskFields {

	static final int MAX_TITLE = 200;

	static final int MAX_DESCRIPTION = 10_000;

	static final int MAX_TAGS = 20;

	static final int MAX_TAG = 50;

	private static final Set<String> CREATE_FIELDS = Set.of("title", "description", "priority", "dueDate", "tags");

	private static final Set<String> PATCH_FIELDS = Set.of("title", "description", "priority", "dueDate", "tags",
			"status");

	/** The fields present, by name, with their checked values ({@code null} = clear). */
	private final Map<String, Object> values;

	private TaskFields(Map<String, Object> values) {
		this.values = values;
	}

	static TaskFields forCreate(JsonNode body) {
		TaskFields fields = read(body, CREATE_FIELDS);
		if (!fields.values.containsKey("title")) {
			throw Problems.invalidField("title", "is required");
		}
		return fields;
	}

	/** The change that completes a task. */
	static TaskFields completion() {
		return new TaskFields(Map.of("status", Task.Status.COMPLETED));
	}

	static TaskFields forPatch(JsonNode body) {
		return read(body, PATCH_FIELDS);
	}

	boolean has(String field) {
		return this.values.containsKey(field);
	}

	@SuppressWarnings("unchecked")
	<T> T get(String field) {
		return (T) this.values.get(field);
	}

	private static TaskFields read(JsonNode body, Set<String> allowed) {
		if (body == null || !body.isObject()) {
			throw Problems.invalidField("$", "the body must be a JSON object");
		}
		List<FieldProblem> problems = new ArrayList<>();
		Map<String, Object> values = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> entry : body.properties()) {
			String name = entry.getKey();
			JsonNode value = entry.getValue();
			if (!allowed.contains(name)) {
				problems.add(new FieldProblem(name, "is not a field that can be set here"));
				continue;
			}
			String problem = switch (name) {
				case "title" -> readTitle(value, values);
				case "description" -> readDescription(value, values);
				case "priority" -> readEnum(name, value, Task.Priority.class, values);
				case "status" -> readEnum(name, value, Task.Status.class, values);
				case "dueDate" -> readDueDate(value, values);
				case "tags" -> readTags(value, values);
				default -> throw new IllegalStateException("unhandled field " + name);
			};
			if (problem != null) {
				problems.add(new FieldProblem(name, problem));
			}
		}
		if (!problems.isEmpty()) {
			throw Problems.invalidRequest(problems);
		}
		return new TaskFields(values);
	}

	private static String readTitle(JsonNode value, Map<String, Object> values) {
		if (!value.isString()) {
			return "must be a string";
		}
		String title = value.asString();
		if (title.isBlank()) {
			return "must not be blank";
		}
		if (title.length() > MAX_TITLE) {
			return "must be at most " + MAX_TITLE + " characters";
		}
		values.put("title", title);
		return null;
	}

	private static String readDescription(JsonNode value, Map<String, Object> values) {
		if (value.isNull()) {
			values.put("description", null);
			return null;
		}
		if (!value.isString()) {
			return "must be a string or null";
		}
		if (value.asString().length() > MAX_DESCRIPTION) {
			return "must be at most " + MAX_DESCRIPTION + " characters";
		}
		values.put("description", value.asString());
		return null;
	}

	private static <E extends Enum<E>> String readEnum(String name, JsonNode value, Class<E> type,
			Map<String, Object> values) {
		List<String> names = java.util.Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
		if (!value.isString() || !names.contains(value.asString())) {
			return "must be one of " + names;
		}
		values.put(name, Enum.valueOf(type, value.asString()));
		return null;
	}

	private static String readDueDate(JsonNode value, Map<String, Object> values) {
		if (value.isNull()) {
			values.put("dueDate", null);
			return null;
		}
		if (!value.isString()) {
			return "must be an ISO-8601 date-time string or null";
		}
		try {
			values.put("dueDate", Times.micros(OffsetDateTime.parse(value.asString()).toInstant()));
			return null;
		}
		catch (DateTimeParseException ex) {
			return "must be an ISO-8601 date-time with an offset, e.g. 2026-12-01T17:00:00Z";
		}
	}

	private static String readTags(JsonNode value, Map<String, Object> values) {
		if (value.isNull()) {
			values.put("tags", List.of());
			return null;
		}
		if (!value.isArray()) {
			return "must be an array of strings";
		}
		if (value.size() > MAX_TAGS) {
			return "must have at most " + MAX_TAGS + " tags";
		}
		List<String> tags = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		for (JsonNode tag : value) {
			if (!tag.isString() || tag.asString().isBlank() || tag.asString().length() > MAX_TAG) {
				return "each tag must be a non-blank string of at most " + MAX_TAG + " characters";
			}
			if (!seen.add(tag.asString())) {
				return "must not repeat a tag ('" + tag.asString() + "')";
			}
			tags.add(tag.asString());
		}
		values.put("tags", List.copyOf(tags));
		return null;
	}

}
