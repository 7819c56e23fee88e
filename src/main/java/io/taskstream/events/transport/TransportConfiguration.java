package io.taskstream.events.transport;

import java.util.List;

import io.taskstream.events.EventPublisher;
import io.taskstream.events.EventSubscription;
import io.taskstream.events.EventsProperties;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The transport of this process, whichever roles it runs: in-process or Dapr. */
@Configuration(proxyBeanMethods = false)
class TransportConfiguration {

	@Bean
	@ConditionalOnProperty(name = "taskstream.events.transport", havingValue = "in-process", matchIfMissing = true)
	EventTransport inProcessTransport(ObjectProvider<EventSubscription> subscriptions, EventsProperties properties) {
		List<EventSubscription> all = subscriptions.orderedStream().toList();
		return new InProcessTransport(all, properties.inProcess().maxAttempts());
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
