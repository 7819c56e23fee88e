package io.taskstream.tasks;

import java.time.Instant;
import java.util.List;

import io.taskstream.events.TaskSnapshot;

/** A task as the API shows it. */
record Task(long id, String title, String description, Status status, Priority priority, Instant dueDate,
		List<String> tags, Instant createdAt, Instant updatedAt, Instant completedAt, long version) {

	enum Status {

		OPEN, COMPLETED

	}

	enum Priority {

		LOW, MEDIUM, HIGH

	}

	Task {
		tags = List.copyOf(tags);
	}

	TaskSnapshot snapshot() {
		return new TaskSnapshot(this.id, this.title, this.description, this.status.name(), this.priority.name(),
				this.dueDate, this.tags, this.createdAt, this.updatedAt, this.completedAt, this.version);
	}

}
