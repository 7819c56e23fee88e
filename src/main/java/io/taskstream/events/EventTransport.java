package io.taskstream.events;

import java.util.List;
import java.util.Map;

/** Takes outbox rows to the subscribers: in-process, or through the Dapr sidecar. */
interface EventTransport {

	/**
	 * Publishes a batch that holds at most one message per task.
	 * @return the messages that failed, by outbox id, with the reason; the others are
	 * published
	 * @throws TransportUnavailableException if nothing could be published (the sidecar is
	 * down, say)
	 */
	Map<Long, String> publish(List<OutboxMessage> batch);

	/** Thrown when the transport cannot take any message now. */
	class TransportUnavailableException extends RuntimeException {

		TransportUnavailableException(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
