package io.taskstream.events;

/**
 * A role's reaction to one valid task event. It must be idempotent: record the event's id
 * in the same transaction as the effect (see {@link Inbox}) and do nothing the second
 * time. Throwing means a transient failure and the event will come again.
 */
@FunctionalInterface
public interface TaskEventHandler {

	/**
	 * @return {@code true} if the event changed something, {@code false} for a duplicate
	 * or a stale event
	 */
	boolean handle(TaskEvent event);

}
