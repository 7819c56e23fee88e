package io.taskstream.events;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a subscriber role declares, as one bean, and all it declares: its name, what it
 * does with a task event, and, for the role that keeps them, what it does with a dead
 * letter. The events module turns each into the role's inbox (in the role's schema, named
 * after it), the entry point the transports call, and, with Dapr, the role's
 * subscriptions: {@code /dapr/subscribe} and one route
 * {@code /dapr/events/<role>/<topic>} per topic.
 *
 * @param role the role, also its schema
 * @param effect what the role does with each task event, once and in each task's order
 * @param keepsLateEvents whether an event that arrives after its task moved past it is
 * still applied (an event store) rather than ignored as stale (a projection)
 * @param deadLetters what it does with a dead letter, or {@code null} if it takes none
 */
public record Subscriber(String role, TaskEventHandler effect, boolean keepsLateEvents, DeadLetterHandler deadLetters) {

	public Subscriber {
		Objects.requireNonNull(role, "role");
		Objects.requireNonNull(effect, "effect");
	}

	/** A projection, which ignores an event its task has moved past. */
	public static Subscriber projection(String role, TaskEventHandler effect) {
		return new Subscriber(role, effect, false, null);
	}

	/** An event store, which keeps every event, however late. */
	public static Subscriber eventStore(String role, TaskEventHandler effect) {
		return new Subscriber(role, effect, true, null);
	}

	/** This subscriber, also taking {@value EventType#DEAD_LETTER_TOPIC}. */
	public Subscriber withDeadLetters(DeadLetterHandler handler) {
		return new Subscriber(this.role, this.effect, this.keepsLateEvents, Objects.requireNonNull(handler));
	}

	/**
	 * The topics it takes: every task topic, {@value EventType#REPLAY_TOPIC} (keeping the
	 * events replayed for it), and the dead letters if it handles them.
	 */
	public Set<String> topics() {
		Set<String> topics = new LinkedHashSet<>(EventType.topics());
		topics.add(EventType.REPLAY_TOPIC);
		if (this.deadLetters != null) {
			topics.add(EventType.DEAD_LETTER_TOPIC);
		}
		return topics;
	}

}
