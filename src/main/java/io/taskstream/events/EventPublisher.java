package io.taskstream.events;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Publishes one message now, through this process's transport, outside the outbox: for
 * operator actions such as redriving a dead letter, where the operator waits for the
 * answer and retries if it fails.
 */
public final class EventPublisher {

	private final EventTransport transport;

	EventPublisher(EventTransport transport) {
		this.transport = transport;
	}

	/**
	 * @param topic the destination topic
	 * @param partitionKey the task id
	 * @param cloudEvent the CloudEvent JSON
	 * @throws IllegalStateException if the transport refused it
	 */
	public void publish(String topic, long partitionKey, String cloudEvent) {
		publish(topic, List.of(new Keyed(partitionKey, cloudEvent)));
	}

	/**
	 * Publishes many messages to one topic at once (a bulk publish through Dapr).
	 * @throws IllegalStateException if the transport refused any of them
	 */
	public void publish(String topic, List<Keyed> cloudEvents) {
		List<OutboxMessage> messages = new java.util.ArrayList<>();
		for (int i = 0; i < cloudEvents.size(); i++) {
			Keyed event = cloudEvents.get(i);
			messages
				.add(new OutboxMessage(i, UUID.randomUUID(), topic, event.partitionKey(), event.cloudEvent(), null, 0));
		}
		Map<Long, String> failed = this.transport.publish(messages);
		if (!failed.isEmpty()) {
			throw new IllegalStateException("publishing to " + topic + " failed for " + failed.size() + " of "
					+ messages.size() + " messages, e.g.: " + failed.values().iterator().next());
		}
	}

	/**
	 * A CloudEvent and its partition key.
	 *
	 * @param partitionKey the task id
	 * @param cloudEvent the CloudEvent JSON
	 */
	public record Keyed(long partitionKey, String cloudEvent) {
	}

}
