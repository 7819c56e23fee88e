package io.taskstream.analytics;

import io.taskstream.events.Subscriber;
import io.taskstream.platform.ConditionalOnRole;
import io.taskstream.platform.RoleSchemas;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The {@code analytics} role, present only when {@code taskstream.roles} includes it. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole("analytics")
class AnalyticsConfiguration {

	@Bean
	AnalyticsProjection analyticsProjection(JdbcClient jdbc, RoleSchemas schemas) {
		return new AnalyticsProjection(jdbc);
	}

	@Bean
	Subscriber analyticsSubscriber(AnalyticsProjection projection) {
		return Subscriber.projection("analytics", projection::apply);
	}

}
