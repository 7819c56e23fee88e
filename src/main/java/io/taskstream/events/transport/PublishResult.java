package io.taskstream.events.transport;

/**
 * What a transport did with one message. A failure says whether retrying soon can help,
 * so the relay needs no knowledge of a transport's error texts.
 */
public sealed interface PublishResult {

	/** The message is published. */
	PublishResult PUBLISHED = new Published();

	/** The broker has it. */
	record Published() implements PublishResult {
	}

	/**
	 * The setup refuses it (Dapr's 403: topic not allowed for this app, 404: no such
	 * pub/sub component): retrying soon will not fix it; an operator must.
	 */
	record Refused(String reason) implements PublishResult {
	}

	/**
	 * A transient failure of this message (a subscriber asking to retry, a bulk entry).
	 */
	record Failed(String reason) implements PublishResult {
	}

	/**
	 * The broker or the sidecar failed the call as a whole (Dapr's 500 for every message:
	 * the broker away, the publish circuit breaker open): nothing is wrong with the
	 * message, and it goes as soon as the transport is back.
	 */
	record Unavailable(String reason) implements PublishResult {
	}

	/** Why it failed (each failure's record component), or {@code null} if published. */
	default String reason() {
		return null;
	}

}
