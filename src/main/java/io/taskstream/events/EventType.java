package io.taskstream.events;

import java.util.Arrays;
import java.util.Optional;

/** What happened to a task; each type has its own topic. */
public enum EventType {

	CREATED, UPDATED, DELETED, COMPLETED;

	/** The topic that dead letters of every task topic land on. */
	public static final String DEAD_LETTER_TOPIC = "task.deadletter";

	/**
	 * The topic stored events are replayed on, each marked with the role it is for (the
	 * CloudEvent extension {@value #REPLAY_TARGET}); other roles ignore it.
	 */
	public static final String REPLAY_TOPIC = "task.replay";

	/** The CloudEvent extension that names the role a replayed event is for. */
	public static final String REPLAY_TARGET = "replaytarget";

	/** The envelope's {@code eventType} value. */
	public String value() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

	/** {@code task.created}, {@code task.updated}, ... */
	public String topic() {
		return "task." + value();
	}

	/** The CloudEvent {@code type}, versioned with the envelope. */
	public String cloudEventType() {
		return "io.taskstream.task." + value() + ".v1";
	}

	public static Optional<EventType> fromValue(String value) {
		return Arrays.stream(values()).filter((type) -> type.value().equals(value)).findFirst();
	}

	/** Every task topic, in declaration order. */
	public static java.util.List<String> topics() {
		return Arrays.stream(values()).map(EventType::topic).toList();
	}

}
