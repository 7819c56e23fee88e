package io.taskstream.analytics;

import io.taskstream.events.Subscriber;
import io.taskstream.platform.ConditionalOnRole;
import io.taskstream.platform.RoleSchemas;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code analytics} role, present only when {@code taskstream.roles} includes it.
 * <p>
 * Created only once the role schemas are migrated ({@code @DependsOn}): its beans use the
 * tables Flyway creates, and no bean takes {@link RoleSchemas} to order them.
 */
@Configuration(proxyBeanMethods = false)
@DependsOn(RoleSchemas.BEAN)
@ConditionalOnRole("analytics")
class AnalyticsConfiguration {

	@Bean
	AnalyticsProjection analyticsProjection(JdbcClient jdbc) {
		return new AnalyticsProjection(jdbc);
	}

	@Bean
	AnalyticsQueries analyticsQueries(JdbcClient jdbc) {
		return new AnalyticsQueries(jdbc);
	}

	@Bean
	Rebuilds analyticsRebuilds(JdbcClient jdbc, TransactionTemplate transaction, AnalyticsProjection projection) {
		return new Rebuilds(jdbc, transaction, projection);
	}

	@Bean
	Subscriber analyticsSubscriber(AnalyticsProjection projection) {
		return Subscriber.projection("analytics", projection::apply);
	}

}
