package io.taskstream.notifications;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import io.taskstream.platform.ConditionalOnRole;
import io.taskstream.platform.Problems;
import io.taskstream.platform.UserId;

import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The caller's notifications, newest first, and marking one read. */
@RestController
@RequestMapping(path = "/api/v1/notifications",
		produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE })
@ConditionalOnRole("notifications")
class NotificationsController {

	private final JdbcClient jdbc;

	NotificationsController(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@GetMapping
	List<Notification> list(UserId user, @RequestParam(defaultValue = "false") boolean unread) {
		return this.jdbc.sql("""
				SELECT id, event_id, task_id, kind, message, created_at, read_at FROM notifications.notifications
				WHERE user_id = :user AND (NOT :unread OR read_at IS NULL) ORDER BY id DESC LIMIT 1000
				""")
			.param("user", user.value())
			.param("unread", unread)
			.query((rs, n) -> new Notification(rs.getLong("id"), rs.getString("event_id"), rs.getLong("task_id"),
					rs.getString("kind"), rs.getString("message"),
					rs.getObject("created_at", OffsetDateTime.class).toInstant(),
					(rs.getObject("read_at", OffsetDateTime.class) != null)
							? rs.getObject("read_at", OffsetDateTime.class).toInstant() : null))
			.list();
	}

	@PostMapping("/{id}/read")
	List<Notification> read(UserId user, @PathVariable long id) {
		int updated = this.jdbc.sql("""
				UPDATE notifications.notifications SET read_at = coalesce(read_at, now())
				WHERE id = :id AND user_id = :user
				""").param("id", id).param("user", user.value()).update();
		if (updated == 0) {
			throw Problems.notFound("No notification " + id + " for this user.");
		}
		return list(user, true);
	}

	record Notification(long id, String eventId, long taskId, String kind, String message, Instant createdAt,
			Instant readAt) {
	}

}
