package io.taskstream.notifications;

import io.micrometer.core.instrument.MeterRegistry;
import io.taskstream.events.EventMetrics;
import io.taskstream.events.EventSubscription;
import io.taskstream.events.Inboxes;
import io.taskstream.events.TaskEventSubscription;
import io.taskstream.platform.ConditionalOnRole;
import io.taskstream.platform.RoleSchemas;
import io.taskstream.platform.SseHub;
import io.taskstream.platform.SseProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code notifications} role, present only when {@code taskstream.roles} includes it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole("notifications")
class NotificationsConfiguration {

	@Bean
	NotificationRepository notificationRepository(JdbcClient jdbc, RoleSchemas schemas) {
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
	Webhooks webhooks(JdbcClient jdbc, RoleSchemas schemas) {
		return new Webhooks(jdbc);
	}

	@Bean
	WebhookDispatcher webhookDispatcher(JdbcClient jdbc, WebhookTargets targets, WebhooksProperties properties,
			MeterRegistry registry, RoleSchemas schemas) {
		return new WebhookDispatcher(jdbc, targets, properties, registry);
	}

	@Bean
	Notifier notifier(NotificationRepository notifications, SseHub<Notification> stream, Webhooks webhooks,
			WebhookDispatcher dispatcher) {
		return new Notifier(notifications, stream, webhooks, dispatcher);
	}

	@Bean
	EventSubscription notificationsTaskEvents(EventMetrics metrics, Notifier notifier, Inboxes inboxes) {
		return new TaskEventSubscription("notifications", inboxes.projection("notifications", notifier::apply),
				metrics);
	}

}
