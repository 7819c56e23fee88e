package io.taskstream.events;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What every role needs beside a Dapr sidecar. */
@Configuration(proxyBeanMethods = false)
class DaprSubscriberConfiguration {

	@Bean
	@ConditionalOnProperty(name = "taskstream.events.transport", havingValue = "dapr")
	DaprSidecarHealthIndicator daprSidecarHealthIndicator(EventsProperties properties) {
		return new DaprSidecarHealthIndicator(properties.dapr());
	}

}
