package io.taskstream.events;

/** A delivery that can never be processed: its answer is {@link Outcome#DROP}. */
public class PoisonEventException extends RuntimeException {

	public PoisonEventException(String reason) {
		super(reason);
	}

}
