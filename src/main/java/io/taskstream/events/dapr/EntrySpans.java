package io.taskstream.events.dapr;

import java.util.function.Supplier;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.TraceContext;
import io.taskstream.events.inbox.EntryTracing;
import tools.jackson.databind.JsonNode;

/**
 * Runs each entry of one bulk delivery in an observation of its own
 * ({@value EntryObservationContext#NAME}, span kind CONSUMER): its span continues the
 * entry's trace and links to the delivery's span ({@link EntrySpanHandler}), and its
 * metric times the handling per role and topic.
 */
final class EntrySpans implements EntryTracing {

	private final ObservationRegistry registry;

	private final String role;

	private final String route;

	private final TraceContext delivery;

	/**
	 * @param route the bulk delivery's route, tagged on each entry's span
	 * @param delivery the bulk delivery's span, or {@code null}
	 */
	EntrySpans(ObservationRegistry registry, String role, String route, TraceContext delivery) {
		this.registry = registry;
		this.role = role;
		this.route = route;
		this.delivery = delivery;
	}

	@Override
	public <T> T within(String topic, JsonNode cloudEvent, Supplier<T> work) {
		EntryObservationContext context = new EntryObservationContext(cloudEvent, this.delivery);
		Observation observation = Observation
			.createNotStarted(EntryObservationContext.NAME, () -> context, this.registry)
			.contextualName("process " + topic)
			.lowCardinalityKeyValue("role", this.role)
			.lowCardinalityKeyValue("topic", topic)
			.highCardinalityKeyValue("route", this.route);
		if (this.delivery != null) {
			// Zipkin keeps no span links: say in tags which delivery the entry came in
			observation.highCardinalityKeyValue("delivery.trace_id", this.delivery.traceId())
				.highCardinalityKeyValue("delivery.span_id", this.delivery.spanId());
		}
		return observation.observe(work);
	}

}
