package io.taskstream.events.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.taskstream.events.EventPublisher;

/**
 * The operator's publisher: each CloudEvent is a message keyed by its position in the
 * call, tried once; the operator sees a failure and tries again.
 */
final class TransportPublisher implements EventPublisher {

	private final EventTransport transport;

	TransportPublisher(EventTransport transport) {
		this.transport = transport;
	}

	@Override
	public void publish(String topic, List<Keyed> cloudEvents) {
		List<Message> messages = new ArrayList<>(cloudEvents.size());
		for (int i = 0; i < cloudEvents.size(); i++) {
			Keyed event = cloudEvents.get(i);
			messages.add(new Message(i, topic, event.partitionKey(), event.cloudEvent(), null, 0));
		}
		List<String> failures = this.transport.publish(messages)
			.values()
			.stream()
			.map(PublishResult::reason)
			.filter(Objects::nonNull)
			.toList();
		if (!failures.isEmpty()) {
			throw new IllegalStateException("publishing to " + topic + " failed for " + failures.size() + " of "
					+ messages.size() + " messages, e.g.: " + failures.get(0));
		}
	}

}
