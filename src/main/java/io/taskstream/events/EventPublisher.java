package io.taskstream.events;

import java.util.List;

/**
 * Publishes now, through this process's transport, outside the outbox: for operator
 * actions such as redriving a dead letter or replaying stored events, where the operator
 * waits for the answer and retries if it fails.
 */
public interface EventPublisher {

	/**
	 * @param topic the destination topic
	 * @param partitionKey the task id
	 * @param cloudEvent the CloudEvent JSON
	 * @throws IllegalStateException if the transport refused it
	 */
	default void publish(String topic, long partitionKey, String cloudEvent) {
		publish(topic, List.of(new Keyed(partitionKey, cloudEvent)));
	}

	/**
	 * Publishes many messages to one topic at once (a bulk publish through Dapr).
	 * @throws IllegalStateException if the transport refused any of them
	 */
	void publish(String topic, List<Keyed> cloudEvents);

	/**
	 * A CloudEvent and its partition key.
	 *
	 * @param partitionKey the task id
	 * @param cloudEvent the CloudEvent JSON
	 */
	record Keyed(long partitionKey, String cloudEvent) {
	}

}
