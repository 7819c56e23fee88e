package io.taskstream.analytics;

import io.taskstream.events.EventMetrics;
import io.taskstream.events.EventSubscription;
import io.taskstream.events.Inbox;
import io.taskstream.events.TaskEventSubscription;
import io.taskstream.platform.ConditionalOnRole;
import io.taskstream.platform.RoleSchemas;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** The {@code analytics} role, present only when {@code taskstream.roles} includes it. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole("analytics")
class AnalyticsConfiguration {

	@Bean
	AnalyticsProjection analyticsProjection(JdbcClient jdbc, TransactionTemplate transaction, RoleSchemas schemas) {
		return new AnalyticsProjection(jdbc, new Inbox(jdbc, transaction, "analytics"));
	}

	@Bean
	EventSubscription analyticsTaskEvents(EventMetrics metrics, AnalyticsProjection projection) {
		return new TaskEventSubscription("analytics", projection::handle, metrics);
	}

}
