package io.taskstream.notifications;

import io.taskstream.events.TaskEvent;
import io.taskstream.platform.SseHub;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Turns task events into notifications and webhook deliveries, each event once, and
 * pushes each notification to the user's open streams once it is committed.
 */
class Notifier {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final NotificationRepository notifications;

	private final SseHub<Notification> stream;

	private final Webhooks webhooks;

	private final WebhookDispatcher dispatcher;

	Notifier(NotificationRepository notifications, SseHub<Notification> stream, Webhooks webhooks,
			WebhookDispatcher dispatcher) {
		this.notifications = notifications;
		this.stream = stream;
		this.webhooks = webhooks;
		this.dispatcher = dispatcher;
	}

	/** The effect of one event, run by the role's inbox: once, in task order. */
	boolean apply(TaskEvent event) {
		if (this.webhooks.enqueue(event, json.writeValueAsString(event)) > 0) {
			afterCommit(this.dispatcher::wake);
		}
		String message = message(event);
		if (message != null) {
			this.stream.appending(event.userId());
			this.notifications.insert(event, message);
		}
		return true;
	}

	private static void afterCommit(Runnable action) {
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				action.run();
			}
		});
	}

	/**
	 * What is worth telling: completions, deletions, due-date changes, tasks added on a
	 * device.
	 */
	static String message(TaskEvent event) {
		String title = event.data().task().title();
		return switch (event.type()) {
			case COMPLETED -> "Completed: " + title;
			case DELETED -> "Deleted: " + title;
			case UPDATED -> (event.data().changes() != null && event.data().changes().containsKey("dueDate"))
					? "Due date changed: " + title : null;
			case CREATED ->
				(event.metadata().deviceId() != null) ? "Added on " + event.metadata().deviceId() + ": " + title : null;
		};
	}

}
