package io.taskstream.events;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes task events as CloudEvents 1.0 and reads them back, checking the envelope
 * against its JSON Schema. Reading is lenient about what the schema allows (unknown
 * fields are ignored) and strict about the rest: anything else is a
 * {@link PoisonEventException}.
 */
public final class CloudEvents {

	/** The media type of a structured CloudEvent. */
	public static final String CONTENT_TYPE = "application/cloudevents+json";

	/** Where the envelope's schema is on the classpath. */
	public static final String SCHEMA_RESOURCE = "schemas/task-event.v1.schema.json";

	/**
	 * The envelope schema's {@code $id}, sent as each CloudEvent's {@code dataschema}.
	 */
	public static final String DATA_SCHEMA = "https://taskstream.io/schemas/task-event.v1.schema.json";

	static final String SOURCE = "/taskstream/tasks";

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Schema schema = loadSchema();

	private CloudEvents() {
	}

	/**
	 * The CloudEvent for an event, as JSON; {@code id} is the envelope's {@code eventId}.
	 */
	public static String write(TaskEvent event, String traceparent) {
		ObjectNode cloudEvent = json.createObjectNode();
		cloudEvent.put("specversion", "1.0");
		cloudEvent.put("id", event.eventId().toString());
		cloudEvent.put("source", SOURCE);
		cloudEvent.put("type", event.type().cloudEventType());
		cloudEvent.put("subject", Long.toString(event.taskId()));
		cloudEvent.put("time", event.timestamp().toString());
		cloudEvent.put("datacontenttype", "application/json");
		cloudEvent.put("dataschema", DATA_SCHEMA);
		if (traceparent != null) {
			cloudEvent.put("traceparent", traceparent);
		}
		cloudEvent.set("data", json.valueToTree(event));
		return json.writeValueAsString(cloudEvent);
	}

	/**
	 * Reads a delivered CloudEvent's envelope.
	 * @throws PoisonEventException if it is not JSON, has no {@code data} object, or its
	 * data fails the envelope's schema
	 */
	public static TaskEvent read(byte[] cloudEvent) {
		JsonNode root;
		try {
			root = json.readTree(cloudEvent);
		}
		catch (JacksonException ex) {
			throw new PoisonEventException("not JSON: " + ex.getOriginalMessage());
		}
		return read(root);
	}

	/**
	 * Reads the envelope of a CloudEvent already parsed (an entry of a bulk delivery).
	 * @throws PoisonEventException if it has no {@code data} object or its data fails the
	 * envelope's schema
	 */
	public static TaskEvent read(JsonNode cloudEvent) {
		JsonNode data = (cloudEvent != null) ? cloudEvent.get("data") : null;
		if (data == null || !data.isObject()) {
			throw new PoisonEventException("no JSON object in the CloudEvent's data");
		}
		List<String> errors = validate(data);
		if (!errors.isEmpty()) {
			throw new PoisonEventException("fails task-event.v1 schema: " + String.join("; ", errors));
		}
		try {
			return json.treeToValue(data, TaskEvent.class);
		}
		catch (JacksonException ex) {
			throw new PoisonEventException("cannot be read as task-event.v1: " + ex.getOriginalMessage());
		}
	}

	/** A CloudEvent's W3C {@code traceparent} extension, or {@code null}. */
	public static String traceparent(JsonNode cloudEvent) {
		JsonNode traceparent = (cloudEvent != null) ? cloudEvent.get("traceparent") : null;
		return (traceparent != null && traceparent.isString()) ? traceparent.asString() : null;
	}

	/** A CloudEvent as JSON bytes (a dead letter's handler takes any bytes). */
	public static byte[] bytes(JsonNode cloudEvent) {
		return json.writeValueAsBytes(cloudEvent);
	}

	/**
	 * A replayed copy of an envelope stored as JSON: same event id, marked for one role.
	 */
	public static String replay(String envelope, String target) {
		TaskEvent event = json.readValue(envelope, TaskEvent.class);
		ObjectNode cloudEvent = (ObjectNode) json.readTree(write(event, null));
		cloudEvent.put(EventType.REPLAY_TARGET, target);
		return json.writeValueAsString(cloudEvent);
	}

	/**
	 * The role a replayed CloudEvent is for (its {@value EventType#REPLAY_TARGET}
	 * extension), or {@code null}.
	 */
	public static String replayTarget(byte[] cloudEvent) {
		return replayTarget(treeOrNull(cloudEvent));
	}

	/** The role a parsed replayed CloudEvent is for, or {@code null}. */
	public static String replayTarget(JsonNode root) {
		return (root != null && root.path(EventType.REPLAY_TARGET).isString())
				? root.path(EventType.REPLAY_TARGET).asString() : null;
	}

	/**
	 * The topic a dead letter was first published on, or {@code null}: Dapr adds it to
	 * the CloudEvent; else the type tells it.
	 */
	public static String originalTopic(byte[] deadLetter) {
		return originalTopic(treeOrNull(deadLetter));
	}

	/** The topic a parsed dead letter was first published on, or {@code null}. */
	public static String originalTopic(JsonNode root) {
		if (root == null || !root.isObject()) {
			return null;
		}
		if (root.path("topic").isString() && !EventType.DEAD_LETTER_TOPIC.equals(root.path("topic").asString())) {
			return root.path("topic").asString();
		}
		String type = root.path("type").asString("");
		return Arrays.stream(EventType.values())
			.filter((eventType) -> type.equals(eventType.cloudEventType()))
			.map(EventType::topic)
			.findFirst()
			.orElse(null);
	}

	private static JsonNode treeOrNull(byte[] cloudEvent) {
		try {
			return json.readTree(cloudEvent);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/** The schema violations of an envelope, empty when it is valid. */
	public static List<String> validate(JsonNode envelope) {
		return schema.validate(envelope).stream().map(Error::toString).toList();
	}

	/** Parses JSON with the events' own mapper (unknown fields ignored). */
	public static JsonNode tree(String jsonText) {
		return json.readTree(jsonText);
	}

	private static Schema loadSchema() {
		SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
				(builder) -> builder
					.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
		try (InputStream in = CloudEvents.class.getClassLoader().getResourceAsStream(SCHEMA_RESOURCE)) {
			if (in == null) {
				throw new IllegalStateException(SCHEMA_RESOURCE + " is missing from the classpath");
			}
			return registry.getSchema(in, InputFormat.JSON);
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot read " + SCHEMA_RESOURCE, ex);
		}
	}

}
