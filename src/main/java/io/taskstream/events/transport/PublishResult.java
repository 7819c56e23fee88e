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

	/** A transient failure (a broker error, a subscriber asking to retry). */
	record Failed(String reason) implements PublishResult {
	}

}
