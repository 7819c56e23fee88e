package io.taskstream.events.transport;

import io.taskstream.events.EventPublisher;
import io.taskstream.events.EventsProperties;
import io.taskstream.events.inbox.Subscriptions;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The transport of this process, whichever roles it runs: in-process or Dapr. */
@Configuration(proxyBeanMethods = false)
class TransportConfiguration {

	@Bean
	@ConditionalOnProperty(name = "taskstream.events.transport", havingValue = "in-process", matchIfMissing = true)
	EventTransport inProcessTransport(Subscriptions subscriptions, EventsProperties properties) {
		return new InProcessTransport(subscriptions, properties.inProcess().maxAttempts());
	}

	@Bean
	@ConditionalOnProperty(name = "taskstream.events.transport", havingValue = "dapr")
	EventTransport daprTransport(EventsProperties properties) {
		return new DaprTransport(properties.dapr());
	}

	@Bean
	EventPublisher eventPublisher(EventTransport transport) {
		return new TransportPublisher(transport);
	}

}
