package io.taskstream.notifications;

import io.taskstream.events.Inbox;
import io.taskstream.events.TaskEvent;
import io.taskstream.platform.SseHub;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Turns task events into notifications, each event once, and pushes each to the user's
 * open streams once it is committed.
 */
class Notifier {

	private final NotificationRepository notifications;

	private final Inbox inbox;

	private final SseHub<Notification> stream;

	Notifier(NotificationRepository notifications, Inbox inbox, SseHub<Notification> stream) {
		this.notifications = notifications;
		this.inbox = inbox;
		this.stream = stream;
	}

	boolean handle(TaskEvent event) {
		return this.inbox.processInOrder(event, () -> {
			String message = message(event);
			if (message == null) {
				return false;
			}
			Notification notification = this.notifications.insert(event, message);
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					Notifier.this.stream.publish(event.userId(), notification);
				}
			});
			return true;
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
