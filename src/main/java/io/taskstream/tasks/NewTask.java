package io.taskstream.tasks;

import java.time.OffsetDateTime;
import java.util.List;

import io.taskstream.platform.FourDigitYear;
import jakarta.validation.constraints.Size;
import org.hibernate.validator.constraints.UniqueElements;

/** The body of {@code POST /api/v1/tasks}: only the title is required. */
record NewTask(@TaskConstraints.Title String title, @TaskConstraints.Description String description,
		Task.Priority priority, @FourDigitYear OffsetDateTime dueDate,
		@Size(max = TaskConstraints.MAX_TAGS,
				message = "must have at most " + TaskConstraints.MAX_TAGS + " tags") @UniqueElements(
						message = "must not repeat a tag") List<@TaskConstraints.Tag String> tags) {

	NewTask {
		tags = (tags != null) ? tags : List.of();
		priority = (priority != null) ? priority : Task.Priority.MEDIUM;
	}

}
