package io.taskstream.events;

/**
 * What a role does with a message some subscriber gave up on (dropped as poison, or out
 * of retries), as delivered on {@value EventType#DEAD_LETTER_TOPIC}: any bytes, not
 * necessarily a valid CloudEvent. Throwing means a transient failure: it comes again.
 */
@FunctionalInterface
public interface DeadLetterHandler {

	void handle(byte[] message);

}
