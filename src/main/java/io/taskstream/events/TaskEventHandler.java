package io.taskstream.events;

/**
 * What a role does with one valid task event: its effect. The role's inbox calls it
 * inside the transaction that records the event, once per event and in each task's
 * sequence order, so the effect itself needs no de-duplication. Throwing means a
 * transient failure: the transaction rolls back and the event will come again.
 */
@FunctionalInterface
public interface TaskEventHandler {

	/**
	 * @return {@code true} if the event changed something
	 */
	boolean handle(TaskEvent event);

}
