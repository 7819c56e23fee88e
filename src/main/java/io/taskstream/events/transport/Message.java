package io.taskstream.events.transport;

/**
 * One CloudEvent on its way to a transport.
 *
 * @param key names the message in the transport's answer (the outbox row's id, or the
 * position in an operator's batch)
 * @param topic the destination topic
 * @param partitionKey the task id, so a task's events stay in one partition
 * @param cloudEvent the CloudEvent JSON
 * @param traceparent the trace context of the request that wrote it, or {@code null}
 * @param failedBefore how many earlier tries of it failed (the in-process transport
 * dead-letters it after its maximum, as a sidecar's resiliency policy would)
 */
public record Message(long key, String topic, long partitionKey, String cloudEvent, String traceparent,
		int failedBefore) {
}
