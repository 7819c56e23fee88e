package io.taskstream.tasks;

import java.time.OffsetDateTime;
import java.util.List;

import io.taskstream.platform.FourDigitYear;
import io.taskstream.platform.Patch;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.hibernate.validator.constraints.UniqueElements;

/**
 * The body of {@code PATCH /api/v1/tasks/{id}}, a JSON merge patch: each field absent
 * (unchanged), {@code null} (cleared, where a field may be empty) or a new value, within
 * the same bounds as a new task ({@link TaskConstraints}).
 */
record TaskPatch(Patch<@TaskConstraints.Title String> title, Patch<@TaskConstraints.Description String> description,
		Patch<Task.@NotNull(message = "must not be null") Priority> priority,
		Patch<@FourDigitYear OffsetDateTime> dueDate,
		Patch<@Size(max = TaskConstraints.MAX_TAGS,
				message = "must have at most " + TaskConstraints.MAX_TAGS + " tags") @UniqueElements(
						message = "must not repeat a tag") List<@TaskConstraints.Tag String>> tags,
		Patch<Task.@NotNull(message = "must not be null") Status> status) {

	/** The change that completes a task. */
	static TaskPatch completion() {
		return new TaskPatch(Patch.absent(), Patch.absent(), Patch.absent(), Patch.absent(), Patch.absent(),
				Patch.of(Task.Status.COMPLETED));
	}

}
