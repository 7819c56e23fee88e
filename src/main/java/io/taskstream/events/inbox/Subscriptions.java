package io.taskstream.events.inbox;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.taskstream.events.EventType;
import io.taskstream.events.Outcome;
import io.taskstream.events.Subscriber;
import io.taskstream.events.metrics.EventMetrics;
import tools.jackson.databind.JsonNode;

/**
 * The subscriptions of the roles this process runs, made from their {@link Subscriber}
 * declarations: for each role and topic, the one entry point every transport calls (the
 * in-process transport directly, a Dapr sidecar through the role's route).
 */
public final class Subscriptions {

	/** Role, then topic, in declaration order. */
	private final Map<String, Map<String, EventSubscription>> byRole = new LinkedHashMap<>();

	private final List<Route> routes = new ArrayList<>();

	Subscriptions(List<Subscriber> subscribers, Inboxes inboxes, EventMetrics metrics) {
		for (Subscriber subscriber : subscribers) {
			if (this.byRole.containsKey(subscriber.role())) {
				throw new IllegalStateException("two subscribers declare the role " + subscriber.role());
			}
			EventSubscription taskEvents = new TaskEventSubscription(subscriber.role(), inboxes.inbox(subscriber),
					metrics);
			EventSubscription deadLetters = (subscriber.deadLetters() != null)
					? new DeadLetterSubscription(subscriber.deadLetters(), metrics) : null;
			Map<String, EventSubscription> byTopic = new LinkedHashMap<>();
			for (String topic : subscriber.topics()) {
				byTopic.put(topic, EventType.DEAD_LETTER_TOPIC.equals(topic) ? deadLetters : taskEvents);
			}
			this.byRole.put(subscriber.role(), Collections.unmodifiableMap(byTopic));
			byTopic.keySet().forEach((topic) -> this.routes.add(new Route(subscriber.role(), topic)));
		}
	}

	/** Every role and topic subscribed to, the roles in declaration order. */
	public List<Route> routes() {
		return Collections.unmodifiableList(this.routes);
	}

	/** Whether the role takes the topic. */
	public boolean takes(String role, String topic) {
		return this.byRole.getOrDefault(role, Map.of()).containsKey(topic);
	}

	/**
	 * Hands a delivery to a role.
	 * @param cloudEvent the CloudEvent as JSON bytes, exactly as delivered
	 * @return what the transport should do with it
	 * @throws IllegalArgumentException if the role does not take the topic here
	 */
	public Outcome deliver(String role, String topic, byte[] cloudEvent) {
		EventSubscription subscription = this.byRole.getOrDefault(role, Map.of()).get(topic);
		if (subscription == null) {
			throw new IllegalArgumentException("no role " + role + " taking " + topic + " runs here");
		}
		return subscription.deliver(topic, cloudEvent);
	}

	/**
	 * Hands a batch of deliveries from one topic to a role, each entry answered on its
	 * own.
	 * @param cloudEvents the CloudEvents, in delivery order
	 * @param tracing runs each entry's work in the entry's own trace
	 * @return what the transport should do with each, in the same order
	 * @throws IllegalArgumentException if the role does not take the topic here
	 */
	public List<Outcome> deliverAll(String role, String topic, List<JsonNode> cloudEvents, EntryTracing tracing) {
		EventSubscription subscription = this.byRole.getOrDefault(role, Map.of()).get(topic);
		if (subscription == null) {
			throw new IllegalArgumentException("no role " + role + " taking " + topic + " runs here");
		}
		return subscription.deliverAll(topic, cloudEvents, tracing);
	}

	/**
	 * One role's subscription to one topic.
	 *
	 * @param role the subscribing role
	 * @param topic the topic
	 */
	public record Route(String role, String topic) {

		/**
		 * Where messages to a dead-letter go: every topic's but the dead letters' own.
		 */
		public String deadLetterTopic() {
			return EventType.DEAD_LETTER_TOPIC.equals(this.topic) ? null : EventType.DEAD_LETTER_TOPIC;
		}

	}

}
