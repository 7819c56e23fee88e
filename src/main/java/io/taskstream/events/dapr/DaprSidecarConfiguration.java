package io.taskstream.events.dapr;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.taskstream.events.EventsProperties;

import org.springframework.beans.factory.ObjectProvider;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/** What every role needs beside a Dapr sidecar. */
@Configuration(proxyBeanMethods = false)
class DaprSidecarConfiguration {

	@Bean
	@ConditionalOnProperty(name = "taskstream.events.transport", havingValue = "dapr")
	DaprSidecarHealthIndicator daprSidecarHealthIndicator(EventsProperties properties) {
		return new DaprSidecarHealthIndicator(properties.dapr());
	}

	@Bean
	@Order(EntrySpanHandler.ORDER)
	@ConditionalOnProperty(name = "taskstream.events.transport", havingValue = "dapr")
	EntrySpanHandler entrySpanHandler(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
		return new EntrySpanHandler(tracer, propagator);
	}

}
