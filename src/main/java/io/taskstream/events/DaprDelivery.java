package io.taskstream.events;

import org.springframework.http.ResponseEntity;

/**
 * The answer a role's Dapr subscription endpoint gives the sidecar: HTTP 200 with
 * {@code {"status": "SUCCESS" | "RETRY" | "DROP"}}, as the Dapr pub/sub contract defines.
 * The routes are {@code /dapr/events/<role>/<topic>}.
 *
 * @param status the outcome's name
 */
public record DaprDelivery(String status) {

	/** The route prefix of every subscription endpoint; the app token guards it. */
	public static final String ROUTE_PREFIX = "/dapr/events/";

	/**
	 * The pub/sub component name as a placeholder for {@code @Topic(pubsubName = ...)}.
	 */
	public static final String PUBSUB = "${taskstream.events.dapr.pubsub-name:taskstream-pubsub}";

	public static ResponseEntity<DaprDelivery> answer(Outcome outcome) {
		return ResponseEntity.ok(new DaprDelivery(outcome.name()));
	}

}
