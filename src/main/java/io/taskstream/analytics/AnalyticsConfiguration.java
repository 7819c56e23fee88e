package io.taskstream.analytics;

import io.taskstream.events.EventMetrics;
import io.taskstream.events.EventSubscription;
import io.taskstream.events.Inboxes;
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
	AnalyticsProjection analyticsProjection(JdbcClient jdbc, RoleSchemas schemas) {
		return new AnalyticsProjection(jdbc);
	}

	@Bean
	AnalyticsQueries analyticsQueries(JdbcClient jdbc, RoleSchemas schemas) {
		return new AnalyticsQueries(jdbc);
	}

	@Bean
	Rebuilds analyticsRebuilds(JdbcClient jdbc, TransactionTemplate transaction, AnalyticsProjection projection) {
		return new Rebuilds(jdbc, transaction, projection);
	}

	@Bean
	EventSubscription analyticsTaskEvents(EventMetrics metrics, AnalyticsProjection projection, Inboxes inboxes) {
		return new TaskEventSubscription("analytics", inboxes.projection("analytics", projection::apply), metrics);
	}

}
