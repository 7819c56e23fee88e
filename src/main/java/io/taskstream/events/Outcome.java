package io.taskstream.events;

/**
 * A subscriber's answer to one delivery, as the Dapr pub/sub contract defines it.
 */
public enum Outcome {

	/** Done (also for a duplicate or stale event, which changes nothing). */
	SUCCESS,

	/** A transient failure (the database is down, say): deliver it again later. */
	RETRY,

	/** Poison: it can never be processed; it goes to the dead-letter topic. */
	DROP

}
