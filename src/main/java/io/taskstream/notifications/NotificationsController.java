package io.taskstream.notifications;

import java.util.List;

import io.taskstream.platform.ConditionalOnRole;
import io.taskstream.platform.Problems;
import io.taskstream.platform.SseHub;
import io.taskstream.platform.UserId;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** The caller's notifications: newest first, marking one read, and a live stream. */
@RestController
@RequestMapping("/api/v1/notifications")
@ConditionalOnRole("notifications")
class NotificationsController {

	private final NotificationRepository notifications;

	private final SseHub<Notification> stream;

	NotificationsController(NotificationRepository notifications, SseHub<Notification> stream) {
		this.notifications = notifications;
		this.stream = stream;
	}

	@GetMapping(produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE })
	List<Notification> list(UserId user, @RequestParam(defaultValue = "false") boolean unread) {
		return this.notifications.list(user.value(), unread);
	}

	@PostMapping(path = "/{id}/read",
			produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE })
	List<Notification> read(UserId user, @PathVariable long id) {
		if (!this.notifications.markRead(user.value(), id)) {
			throw Problems.notFound("No notification " + id + " for this user.");
		}
		return this.notifications.list(user.value(), true);
	}

	/**
	 * Server-Sent Events: each new notification as an event named {@code notification}
	 * whose id is the notification's id; reconnect with {@code Last-Event-ID} to get what
	 * was missed first.
	 */
	@GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter stream(UserId user, @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
		long last = 0;
		if (lastEventId != null) {
			try {
				last = Long.parseLong(lastEventId.strip());
			}
			catch (NumberFormatException ex) {
				throw Problems.invalidField("Last-Event-ID", "must be the id of an event this stream sent");
			}
		}
		return this.stream.open(user.value(), last,
				(after, limit) -> this.notifications.after(user.value(), after, limit));
	}

}
