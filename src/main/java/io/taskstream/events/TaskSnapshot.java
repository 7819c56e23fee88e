package io.taskstream.events;

import java.time.Instant;
import java.util.List;

/**
 * A task as events carry it: its whole state after the change. Part of the public event
 * contract, so it changes only by adding optional fields.
 */
public record TaskSnapshot(long id, String title, String description, String status, String priority, Instant dueDate,
		List<String> tags, Instant createdAt, Instant updatedAt, Instant completedAt, long version) {

	public TaskSnapshot {
		tags = (tags != null) ? List.copyOf(tags) : List.of();
	}

}
