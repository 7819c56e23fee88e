package io.taskstream.events;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The v1 event envelope, the {@code data} of every CloudEvent on a task topic. Its JSON
 * Schema is {@code schemas/task-event.v1.schema.json}.
 *
 * @param eventId unique, stable across re-publishes; consumers de-duplicate on it
 * @param eventType {@code created}, {@code updated}, {@code deleted} or {@code completed}
 * @param schemaVersion {@value #SCHEMA_VERSION}
 * @param taskId the task's id, also the partition key
 * @param userId the task's owner
 * @param timestamp when the change was committed
 * @param sequence the task's version after the change, consecutive per task; consumers
 * apply a task's events in sequence order and hold an early one until its predecessor is
 * in
 * @param data the task after the change and what changed
 * @param metadata where the change came from
 */
public record TaskEvent(UUID eventId, String eventType, String schemaVersion, long taskId, String userId,
		Instant timestamp, long sequence, Data data, Metadata metadata) {

	public static final String SCHEMA_VERSION = "1.0";

	/** The event's type as an enum; the envelope keeps the lower-case string. */
	public EventType type() {
		return EventType.fromValue(this.eventType)
			.orElseThrow(() -> new IllegalStateException("unknown event type " + this.eventType));
	}

	/**
	 * @param task the task after the change (for {@code deleted}, as it was)
	 * @param changes each changed field, for {@code updated} and {@code completed}
	 */
	public record Data(TaskSnapshot task, @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Change> changes) {
	}

	/** One changed field's old and new value. */
	public record Change(Object from, Object to) {
	}

	/**
	 * @param source {@code web}, {@code cli} or {@code api}
	 * @param deviceId the device that made the change, if the client said
	 * @param version the task's version after the change
	 */
	public record Metadata(String source, String deviceId, long version) {
	}

}
