package io.taskstream.notifications;

import io.taskstream.events.Inbox;
import io.taskstream.events.TaskEvent;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Turns task events into notifications, each event once. */
class Notifier {

	static final int KEEP_PER_USER = 1000;

	private final JdbcClient jdbc;

	private final Inbox inbox;

	Notifier(JdbcClient jdbc, Inbox inbox) {
		this.jdbc = jdbc;
		this.inbox = inbox;
	}

	boolean handle(TaskEvent event) {
		return this.inbox.processInOrder(event, () -> {
			String title = event.data().task().title();
			String message = switch (event.type()) {
				case COMPLETED -> "Completed: " + title;
				case DELETED -> "Deleted: " + title;
				case UPDATED -> dueDateChanged(event) ? "Due date changed: " + title : null;
				case CREATED -> (event.metadata().deviceId() != null)
						? "Added on " + event.metadata().deviceId() + ": " + title : null;
			};
			if (message == null) {
				return false;
			}
			this.jdbc.sql("""
					INSERT INTO notifications.notifications (user_id, event_id, task_id, kind, message)
					VALUES (:user, :event, :task, :kind, :message)
					""")
				.param("user", event.userId())
				.param("event", event.eventId())
				.param("task", event.taskId())
				.param("kind", event.eventType())
				.param("message", (message.length() <= 400) ? message : message.substring(0, 400))
				.update();
			this.jdbc.sql("""
					DELETE FROM notifications.notifications WHERE user_id = :user AND id <= (
					  SELECT id FROM notifications.notifications WHERE user_id = :user
					  ORDER BY id DESC OFFSET :keep LIMIT 1)
					""").param("user", event.userId()).param("keep", KEEP_PER_USER).update();
			return true;
		});
	}

	private static boolean dueDateChanged(TaskEvent event) {
		return event.data().changes() != null && event.data().changes().containsKey("dueDate");
	}

}
