package io.taskstream.notifications;

import io.micrometer.core.instrument.MeterRegistry;
import io.taskstream.events.Subscriber;
import io.taskstream.platform.ConditionalOnRole;
import io.taskstream.platform.QuotaProperties;
import io.taskstream.platform.RoleSchemas;
import io.taskstream.platform.SseHub;
import io.taskstream.platform.SseProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code notifications} role, present only when {@code taskstream.roles} includes it.
 * <p>
 * Created only once the role schemas are migrated ({@code @DependsOn}): its beans use the
 * tables Flyway creates, and no bean takes {@link RoleSchemas} to order them.
 */
@Configuration(proxyBeanMethods = false)
@DependsOn(RoleSchemas.BEAN)
@ConditionalOnRole("notifications")
class NotificationsConfiguration {

	@Bean
	NotificationRepository notificationRepository(JdbcClient jdbc) {
		return new NotificationRepository(jdbc);
	}

	@Bean(destroyMethod = "close")
	SseHub<Notification> notificationStream(MeterRegistry registry, SseProperties properties, JdbcClient jdbc) {
		return new SseHub<>("notification", Notification::id, properties.heartbeat(), registry, jdbc);
	}

	@Bean
	WebhookTargets webhookTargets(WebhooksProperties properties) {
		return new WebhookTargets(properties.allowPrivateTargets(), properties.allowedPorts());
	}

	@Bean
	Webhooks webhooks(JdbcClient jdbc, QuotaProperties quotas) {
		return new Webhooks(jdbc, quotas.webhooksPerUser());
	}

	@Bean
	WebhookDispatcher webhookDispatcher(JdbcClient jdbc, WebhookTargets targets, WebhooksProperties properties,
			MeterRegistry registry) {
		return new WebhookDispatcher(jdbc, targets, properties, registry);
	}

	@Bean
	Notifier notifier(NotificationRepository notifications, SseHub<Notification> stream, Webhooks webhooks,
			WebhookDispatcher dispatcher) {
		return new Notifier(notifications, stream, webhooks, dispatcher);
	}

	@Bean
	Subscriber notificationsSubscriber(Notifier notifier) {
		return Subscriber.projection("notifications", notifier::apply);
	}

}
