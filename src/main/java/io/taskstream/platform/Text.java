package io.taskstream.platform;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.charset.StandardCharsets;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * Text a person typed: at most {@link #max} characters (Unicode code points, as JSON
 * Schema's {@code maxLength} counts them) and {@link #maxBytes} bytes of UTF-8 (what an
 * event carrying it costs on the broker), no control characters (tab and newline only
 * where {@link #multiline}), no lone surrogate (it cannot be encoded as UTF-8).
 * PostgreSQL refuses NUL in text, and a consumer should never meet an escape sequence in
 * a title. {@code null} is valid: say {@code @NotNull} where it is not.
 */
@Documented
@Constraint(validatedBy = Text.Validator.class)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.TYPE_USE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
public @interface Text {

	int max();

	int maxBytes();

	boolean multiline() default false;

	String message() default "is not acceptable text";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	/** Checks {@link Text}; names the first problem found. */
	final class Validator implements ConstraintValidator<Text, String> {

		private Text text;

		@Override
		public void initialize(Text text) {
			this.text = text;
		}

		@Override
		public boolean isValid(String value, ConstraintValidatorContext context) {
			String problem = (value != null) ? problem(value, this.text) : null;
			if (problem != null) {
				context.disableDefaultConstraintViolation();
				context.buildConstraintViolationWithTemplate(problem).addConstraintViolation();
			}
			return problem == null;
		}

		/** What is wrong with the text, or {@code null}. */
		public static String problem(String value, Text text) {
			return problem(value, text.max(), text.maxBytes(), text.multiline());
		}

		/** What is wrong with the text, or {@code null}. */
		public static String problem(String value, int max, int maxBytes, boolean multiline) {
			for (int i = 0; i < value.length(); i++) {
				char c = value.charAt(i);
				if (Character.isHighSurrogate(c) && i + 1 < value.length()
						&& Character.isLowSurrogate(value.charAt(i + 1))) {
					i++;
				}
				else if (Character.isSurrogate(c)) {
					return "must not contain a lone surrogate (at index " + i + ")";
				}
				else if (Character.isISOControl(c) && !(multiline && (c == '\t' || c == '\n'))) {
					return "must not contain control characters" + (multiline ? " other than tab and newline" : "")
							+ " (U+" + String.format("%04X", (int) c) + " at index " + i + ")";
				}
			}
			if (value.codePointCount(0, value.length()) > max) {
				return "must be at most " + max + " characters";
			}
			if (value.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
				return "must be at most " + maxBytes + " bytes in UTF-8";
			}
			return null;
		}

	}

}
