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
		OutboxMessage message = new OutboxMessage(0, UUID.randomUUID(), topic, partitionKey, cloudEvent, null, 0);
		Map<Long, String> failed = this.transport.publish(List.of(message));
		if (!failed.isEmpty()) {
			throw new IllegalStateException("publishing to " + topic + " failed: " + failed.get(0L));
		}
	}

}
