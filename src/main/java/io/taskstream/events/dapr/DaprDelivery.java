package io.taskstream.events.dapr;

import io.taskstream.events.Outcome;

import org.springframework.http.ResponseEntity;

/**
 * The answer a role's Dapr subscription endpoint gives the sidecar: HTTP 200 with
 * {@code {"status": "SUCCESS" | "RETRY" | "DROP"}}, as the Dapr pub/sub contract defines.
 * The routes are {@code /dapr/events/<role>/<topic>}.
 *
 * @param status the outcome's name
 */
record DaprDelivery(String status) {

	static ResponseEntity<DaprDelivery> answer(Outcome outcome) {
		return ResponseEntity.ok(new DaprDelivery(outcome.name()));
	}

}
