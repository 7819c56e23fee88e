package io.taskstream.notifications;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import io.taskstream.events.TaskEvent;

import org.springframework.jdbc.core.simple.JdbcClient;

/** {@code notifications.notifications}: the last {@value #KEEP_PER_USER} per user. */
class NotificationRepository {

	static final int KEEP_PER_USER = 1000;

	private static final String COLUMNS = "id, event_id, task_id, kind, message, created_at, read_at";

	private final JdbcClient jdbc;

	NotificationRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Notification insert(TaskEvent event, String message) {
		Notification notification = this.jdbc.sql("""
				INSERT INTO notifications.notifications (user_id, event_id, task_id, kind, message)
				VALUES (:user, :event, :task, :kind, :message) RETURNING\s""" + COLUMNS)
			.param("user", event.userId())
			.param("event", event.eventId())
			.param("task", event.taskId())
			.param("kind", event.eventType())
			.param("message", (message.length() <= 400) ? message : message.substring(0, 400))
			.query(NotificationRepository::notification)
			.single();
		this.jdbc.sql("""
				DELETE FROM notifications.notifications WHERE user_id = :user AND id <= (
				  SELECT id FROM notifications.notifications WHERE user_id = :user
				  ORDER BY id DESC OFFSET :keep LIMIT 1)
				""").param("user", event.userId()).param("keep", KEEP_PER_USER).update();
		return notification;
	}

	/** Newest first. */
	List<Notification> list(String user, boolean unreadOnly) {
		return this.jdbc.sql("SELECT " + COLUMNS + """
				 FROM notifications.notifications
				WHERE user_id = :user AND (NOT :unread OR read_at IS NULL) ORDER BY id DESC LIMIT 1000
				""").param("user", user).param("unread", unreadOnly).query(NotificationRepository::notification).list();
	}

	/**
	 * Oldest first: the next page of what a stream that last saw {@code lastId} missed.
	 */
	List<Notification> after(String user, long lastId, int limit) {
		return this.jdbc
			.sql("SELECT " + COLUMNS
					+ " FROM notifications.notifications WHERE user_id = :user AND id > :last ORDER BY id LIMIT :limit")
			.param("user", user)
			.param("last", lastId)
			.param("limit", limit)
			.query(NotificationRepository::notification)
			.list();
	}

	boolean markRead(String user, long id) {
		return this.jdbc.sql("""
				UPDATE notifications.notifications SET read_at = coalesce(read_at, now())
				WHERE id = :id AND user_id = :user
				""").param("id", id).param("user", user).update() == 1;
	}

	private static Notification notification(ResultSet rs, int row) throws SQLException {
		return new Notification(rs.getLong("id"), rs.getString("event_id"), rs.getLong("task_id"), rs.getString("kind"),
				rs.getString("message"), instant(rs.getObject("created_at", OffsetDateTime.class)),
				instant(rs.getObject("read_at", OffsetDateTime.class)));
	}

	private static Instant instant(OffsetDateTime time) {
		return (time != null) ? time.toInstant() : null;
	}

}
