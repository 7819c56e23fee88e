package io.taskstream.events.dapr;

import io.taskstream.events.EventsProperties;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What every role needs beside a Dapr sidecar. */
@Configuration(proxyBeanMethods = false)
class DaprSidecarConfiguration {

	@Bean
	@ConditionalOnProperty(name = "taskstream.events.transport", havingValue = "dapr")
	DaprSidecarHealthIndicator daprSidecarHealthIndicator(EventsProperties properties) {
		return new DaprSidecarHealthIndicator(properties.dapr());
	}

}
