package io.taskstream.events.dapr;

import io.micrometer.observation.Observation;
import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.function.SingletonSupplier;

/**
 * Makes the span of one entry of a bulk delivery: a child of the entry's own CloudEvent
 * {@code traceparent} (not of the bulk request, whose one {@code traceparent} header
 * belongs to a single entry's trace), linked to the bulk delivery's span. The database
 * work of the entry, observed inside it, becomes its children.
 * <p>
 * Ordered before Spring Boot's receiver handler in the tracing group, which would make
 * the span without the link. With no tracer in the context it takes no observation.
 */
final class EntrySpanHandler implements TracingObservationHandler<EntryObservationContext> {

	/** Before Spring Boot's receiver handler (1000) in the first-match tracing group. */
	static final int ORDER = 500;

	// Resolved once: asking the bean factory on every check cost the analytics role 9% of
	// its CPU in the benchmark's pipeline steps (the registry checks each handler for
	// every observation).
	private final SingletonSupplier<Tracer> tracer;

	private final SingletonSupplier<Propagator> propagator;

	EntrySpanHandler(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
		this.tracer = SingletonSupplier.of(tracer::getIfAvailable);
		this.propagator = SingletonSupplier.of(propagator::getIfAvailable);
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof EntryObservationContext && this.tracer.get() != null && this.propagator.get() != null;
	}

	@Override
	public void onStart(EntryObservationContext context) {
		Span.Builder builder = this.propagator.obtain()
			.extract(context.getCarrier(), (carrier, key) -> context.getGetter().get(carrier, key))
			.kind(Span.Kind.CONSUMER);
		if (context.delivery() != null) {
			builder.addLink(new Link(context.delivery()));
		}
		getTracingContext(context).setSpan(builder.name(getSpanName(context)).start());
	}

	@Override
	public void onError(EntryObservationContext context) {
		if (context.getError() != null) {
			getRequiredSpan(context).error(context.getError());
		}
	}

	@Override
	public void onStop(EntryObservationContext context) {
		Span span = getRequiredSpan(context);
		tagSpan(context, span);
		span.name(getSpanName(context));
		endSpan(context, span);
	}

	@Override
	public Tracer getTracer() {
		return this.tracer.obtain();
	}

}
