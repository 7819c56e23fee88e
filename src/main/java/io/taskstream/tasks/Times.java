package io.taskstream.tasks;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Timestamps at PostgreSQL's precision, so the API and the events agree to the digit. */
final class Times {

	private Times() {
	}

	static Instant micros(Instant instant) {
		return instant.truncatedTo(ChronoUnit.MICROS);
	}

	static Instant now() {
		return micros(Instant.now());
	}

}
