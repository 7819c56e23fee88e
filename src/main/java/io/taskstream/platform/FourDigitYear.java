package io.taskstream.platform;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAccessor;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * A date or instant in the years 0001 to 9999 (UTC): what RFC 3339 can write (four-digit
 * years), so every event carrying it is valid against the JSON Schema, and what
 * PostgreSQL and every consumer can store. {@code null} is valid.
 */
@Documented
@Constraint(validatedBy = FourDigitYear.Validator.class)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.TYPE_USE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
public @interface FourDigitYear {

	String message() default "must be in the years 0001 to 9999 (UTC)";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	/** The first and last day allowed. */
	LocalDate FIRST = LocalDate.of(1, 1, 1);

	/** The last day allowed. */
	LocalDate LAST = LocalDate.of(9999, 12, 31);

	/** Checks {@link FourDigitYear}. */
	final class Validator implements ConstraintValidator<FourDigitYear, TemporalAccessor> {

		@Override
		public boolean isValid(TemporalAccessor value, ConstraintValidatorContext context) {
			return value == null || allows(value);
		}

		public static boolean allows(TemporalAccessor value) {
			LocalDate day;
			if (value instanceof LocalDate date) {
				day = date;
			}
			else if (value instanceof OffsetDateTime time) {
				day = time.atZoneSameInstant(ZoneOffset.UTC).toLocalDate();
			}
			else if (value instanceof Instant instant) {
				day = instant.atOffset(ZoneOffset.UTC).toLocalDate();
			}
			else {
				throw new IllegalArgumentException("not a date: " + value.getClass());
			}
			return !day.isBefore(FIRST) && !day.isAfter(LAST);
		}

	}

}
