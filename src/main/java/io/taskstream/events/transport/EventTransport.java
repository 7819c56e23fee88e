package io.taskstream.events.transport;

import java.util.List;
import java.util.Map;

/** Takes messages to the subscribers: in-process, or through the Dapr sidecar. */
public interface EventTransport {

	/**
	 * Publishes a batch that holds at most one message per task.
	 * @return each message's result, by {@link Message#key()}
	 * @throws TransportUnavailableException if nothing could be published (the sidecar is
	 * down, say)
	 */
	Map<Long, PublishResult> publish(List<Message> batch);

	/** Thrown when the transport cannot take any message now. */
	class TransportUnavailableException extends RuntimeException {

		public TransportUnavailableException(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
