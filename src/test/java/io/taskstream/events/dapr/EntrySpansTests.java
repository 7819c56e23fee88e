package io.taskstream.events.dapr;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.taskstream.events.CloudEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each entry of a bulk delivery gets a span of its own in its own trace: a CONSUMER child
 * of its CloudEvent's {@code traceparent}, linked to the delivery's span, with the
 * entry's database work (any observation inside) as its children. Runs the real
 * OpenTelemetry bridge, with the handler ahead of the default one as Spring Boot orders
 * them.
 */
class EntrySpansTests {

	static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

	static final String PUBLISH_SPAN = "b7ad6b7169203331";

	List<SpanData> exported = new CopyOnWriteArrayList<>();

	SdkTracerProvider provider = SdkTracerProvider.builder()
		.addSpanProcessor(SimpleSpanProcessor.create(new SpanExporter() {

			@Override
			public CompletableResultCode export(java.util.Collection<SpanData> spans) {
				EntrySpansTests.this.exported.addAll(spans);
				return CompletableResultCode.ofSuccess();
			}

			@Override
			public CompletableResultCode flush() {
				return CompletableResultCode.ofSuccess();
			}

			@Override
			public CompletableResultCode shutdown() {
				return CompletableResultCode.ofSuccess();
			}

		}))
		.build();

	io.opentelemetry.api.trace.Tracer otel = this.provider.get("test");

	Tracer tracer = new OtelTracer(this.otel, new OtelCurrentTraceContext(), (event) -> {
	});

	Propagator propagator = new OtelPropagator(ContextPropagators.create(W3CTraceContextPropagator.getInstance()),
			this.otel);

	@AfterEach
	void closeTheProvider() {
		this.provider.close();
	}

	@Test
	void anEntrysSpanContinuesItsCloudEventsTraceLinksTheDeliveryAndParentsItsDatabaseWork() {
		ObservationRegistry registry = registry();
		Observation server = Observation.start("http.server.requests", registry);
		String result;
		try (Observation.Scope scope = server.openScope()) {
			EntrySpans spans = new EntrySpans(registry, "analytics", "/dapr/events/analytics/task.created/bulk",
					this.tracer.currentSpan().context());
			JsonNode cloudEvent = CloudEvents
				.tree("{\"id\":\"e1\",\"traceparent\":\"00-" + TRACE + "-" + PUBLISH_SPAN + "-01\",\"data\":{}}");
			result = spans.within("task.created", cloudEvent,
					() -> Observation.createNotStarted("jdbc.query", registry).observe(() -> "applied"));
		}
		finally {
			server.stop();
		}

		assertThat(result).isEqualTo("applied");
		SpanData serverSpan = span("http.server.requests");
		SpanData entry = span("process task.created");
		SpanData query = span("jdbc.query");
		assertThat(entry.getKind()).isEqualTo(SpanKind.CONSUMER);
		assertThat(entry.getTraceId()).isEqualTo(TRACE);
		assertThat(entry.getParentSpanId()).isEqualTo(PUBLISH_SPAN);
		assertThat(entry.getLinks()).singleElement()
			.satisfies((link) -> assertThat(link.getSpanContext()).isEqualTo(serverSpan.getSpanContext()));
		assertThat(entry.getAttributes().asMap().toString()).contains("route=/dapr/events/analytics/task.created/bulk")
			.contains("delivery.span_id=" + serverSpan.getSpanId())
			.contains("role=analytics");
		assertThat(query.getTraceId()).isEqualTo(TRACE);
		assertThat(query.getParentSpanId()).as("the entry's database work is its child").isEqualTo(entry.getSpanId());
		assertThat(serverSpan.getTraceId()).isNotEqualTo(TRACE);
	}

	@Test
	void anEntryWithoutATraceparentStaysInTheDeliverysTrace() {
		ObservationRegistry registry = registry();
		Observation server = Observation.start("http.server.requests", registry);
		try (Observation.Scope scope = server.openScope()) {
			new EntrySpans(registry, "audit", "/dapr/events/audit/task.deadletter/bulk",
					this.tracer.currentSpan().context())
				.within("task.deadletter", CloudEvents.tree("{\"id\":\"e1\"}"), () -> "taken");
		}
		finally {
			server.stop();
		}
		SpanData serverSpan = span("http.server.requests");
		SpanData entry = span("process task.deadletter");
		assertThat(entry.getTraceId()).isEqualTo(serverSpan.getTraceId());
		assertThat(entry.getParentSpanId()).isEqualTo(serverSpan.getSpanId());
	}

	@Test
	void withoutATracerTheEntryHandlerTakesNothing() {
		EntrySpanHandler handler = new EntrySpanHandler(provider(null), provider(null));
		assertThat(handler.supportsContext(new EntryObservationContext(CloudEvents.tree("{}"), null))).isFalse();
	}

	private ObservationRegistry registry() {
		ObservationRegistry registry = ObservationRegistry.create();
		// first match, as in Spring Boot's tracing group: the entry handler, then the
		// default
		registry.observationConfig()
			.observationHandler(
					new io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler(
							new EntrySpanHandler(provider(this.tracer), provider(this.propagator)),
							new DefaultTracingObservationHandler(this.tracer)));
		return registry;
	}

	private SpanData span(String name) {
		return this.exported.stream()
			.filter((span) -> span.getName().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no span " + name + " among " + this.exported));
	}

	@SuppressWarnings("unchecked")
	private static <T> ObjectProvider<T> provider(T bean) {
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		if (bean != null) {
			beans.addBean("bean", bean);
		}
		return (ObjectProvider<T>) beans.getBeanProvider(Object.class);
	}

}
