package io.taskstream.events.outbox;

import java.util.UUID;

import io.taskstream.events.transport.Message;

/**
 * One outbox row on its way to a transport.
 *
 * @param id the row's position in the outbox, the publishing order
 * @param eventId the CloudEvent id
 * @param topic the destination topic
 * @param taskId the partition key
 * @param payload the CloudEvent JSON
 * @param traceparent the trace context of the request that wrote it, or {@code null}
 * @param attempts how many publishes of it failed before
 */
record OutboxMessage(long id, UUID eventId, String topic, long taskId, String payload, String traceparent,
		int attempts) {

	/** The row as the transports take it, keyed by its id. */
	Message toMessage() {
		return new Message(this.id, this.topic, this.taskId, this.payload, this.traceparent, this.attempts);
	}

}
