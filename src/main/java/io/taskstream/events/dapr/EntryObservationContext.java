package io.taskstream.events.dapr;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.tracing.TraceContext;
import tools.jackson.databind.JsonNode;

/**
 * The observation of one entry of a bulk delivery: its carrier is the entry's CloudEvent,
 * whose {@code traceparent} (and {@code tracestate}) make the span's parent, and it knows
 * the bulk delivery's own span, which the entry's span links to.
 */
final class EntryObservationContext extends ReceiverContext<JsonNode> {

	static final String NAME = "taskstream.event.handle";

	private final TraceContext delivery;

	EntryObservationContext(JsonNode cloudEvent, TraceContext delivery) {
		super((carrier, key) -> {
			JsonNode value = carrier.get(key);
			return (value != null && value.isString()) ? value.asString() : null;
		}, Kind.CONSUMER);
		setCarrier(cloudEvent);
		this.delivery = delivery;
	}

	/** The bulk delivery's span, or {@code null} if it has none. */
	TraceContext delivery() {
		return this.delivery;
	}

}
