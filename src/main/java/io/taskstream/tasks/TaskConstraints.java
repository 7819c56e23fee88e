package io.taskstream.tasks;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.taskstream.platform.Text;
import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.constraints.NotBlank;

/**
 * The bounds of a task's fields, declared once for a new task and a patch alike. They are
 * what keeps every event small: the largest, an update of a task whose description is
 * replaced, carries the description three times (the task, and the change's from and to),
 * about 90 KB at these bounds, far below the broker's 1 MiB message limit.
 */
final class TaskConstraints {

	static final int MAX_TITLE = 200;

	static final int MAX_TITLE_BYTES = 800;

	static final int MAX_DESCRIPTION = 10_000;

	/** Ten thousand characters of CJK text (3 bytes each in UTF-8). */
	static final int MAX_DESCRIPTION_BYTES = 30_000;

	static final int MAX_TAGS = 20;

	static final int MAX_TAG = 50;

	static final int MAX_TAG_BYTES = 200;

	private TaskConstraints() {
	}

	@NotBlank(message = "is required and must not be blank")
	@Text(max = MAX_TITLE, maxBytes = MAX_TITLE_BYTES)
	@Constraint(validatedBy = {})
	@Target({ ElementType.FIELD, ElementType.TYPE_USE, ElementType.PARAMETER })
	@Retention(RetentionPolicy.RUNTIME)
	@interface Title {

		String message() default "is not a valid title";

		Class<?>[] groups() default {};

		Class<? extends Payload>[] payload() default {};

	}

	@Text(max = MAX_DESCRIPTION, maxBytes = MAX_DESCRIPTION_BYTES, multiline = true)
	@Constraint(validatedBy = {})
	@Target({ ElementType.FIELD, ElementType.TYPE_USE, ElementType.PARAMETER })
	@Retention(RetentionPolicy.RUNTIME)
	@interface Description {

		String message() default "is not a valid description";

		Class<?>[] groups() default {};

		Class<? extends Payload>[] payload() default {};

	}

	@NotBlank(message = "each tag must be a non-blank string")
	@Text(max = MAX_TAG, maxBytes = MAX_TAG_BYTES)
	@Constraint(validatedBy = {})
	@Target({ ElementType.FIELD, ElementType.TYPE_USE, ElementType.PARAMETER })
	@Retention(RetentionPolicy.RUNTIME)
	@interface Tag {

		String message() default "is not a valid tag";

		Class<?>[] groups() default {};

		Class<? extends Payload>[] payload() default {};

	}

}
