package io.taskstream.platform;

import io.micrometer.observation.ObservationPredicate;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Database work shows in traces (datasource-micrometer observes each query) only inside
 * something already observed: a request, or an event delivery. The outbox relay's polls
 * and the start-up migrations would otherwise start a trace of their own every second.
 */
@Configuration(proxyBeanMethods = false)
class TracingConfiguration {

	@Bean
	ObservationPredicate jdbcOnlyWithinAnObservation(ObjectProvider<ObservationRegistry> registry) {
		return (name, context) -> !name.startsWith("jdbc.") || registry.getObject().getCurrentObservation() != null;
	}

}
