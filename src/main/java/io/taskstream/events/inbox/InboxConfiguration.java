package io.taskstream.events.inbox;

import io.taskstream.events.EventsProperties;
import io.taskstream.events.Subscriber;
import io.taskstream.events.metrics.EventMetrics;
import io.taskstream.platform.RoleSchemas;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The receiving side of whichever subscriber roles run here: one inbox and one entry
 * point per declared {@link Subscriber} (none in a {@code tasks}-only process).
 * <p>
 * Created only once the role schemas are migrated ({@code @DependsOn}): its beans use the
 * tables Flyway creates, and no bean takes {@link RoleSchemas} to order them.
 */
@Configuration(proxyBeanMethods = false)
@DependsOn(RoleSchemas.BEAN)
class InboxConfiguration {

	@Bean
	Inboxes inboxes(JdbcClient jdbc, TransactionTemplate transaction, EventsProperties properties) {
		return new Inboxes(jdbc, transaction, properties);
	}

	@Bean
	Subscriptions subscriptions(ObjectProvider<Subscriber> subscribers, Inboxes inboxes, EventMetrics metrics) {
		return new Subscriptions(subscribers.orderedStream().toList(), inboxes, metrics);
	}

}
