package io.taskstream.notifications;

import java.time.Instant;

/** Something a user is told about one of their tasks. */
record Notification(long id, String eventId, long taskId, String kind, String message, Instant createdAt,
		Instant readAt) {
}
