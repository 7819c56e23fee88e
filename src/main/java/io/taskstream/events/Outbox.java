package io.taskstream.events;

/**
 * Where the {@code tasks} role writes its events: a row in {@code tasks.outbox}, in the
 * same transaction as the task change, so an event exists if and only if the change was
 * committed. The relay publishes the rows, woken right after the commit.
 */
public interface Outbox {

	/**
	 * Adds an event to the current transaction.
	 * @param traceparent the W3C trace context of the request that caused it, or
	 * {@code null}
	 * @throws IllegalStateException outside a transaction, where the guarantee would be
	 * lost
	 */
	void append(TaskEvent event, String traceparent);

}
