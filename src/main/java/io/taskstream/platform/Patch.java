package io.taskstream.platform;

/**
 * One field of a JSON merge patch (RFC 7396): absent (leave the field as it is), present
 * with {@code null} (clear it) or present with a value (set it). {@link RequestBodies}
 * reads a record of these; Bean Validation checks the value inside
 * ({@code Patch<@NotBlank String>}) only when one was sent.
 *
 * @param present whether the client sent the field
 * @param value the value sent; {@code null} when the client cleared the field
 */
public record Patch<T>(boolean present, T value) {

	private static final Patch<?> ABSENT = new Patch<>(false, null);

	@SuppressWarnings("unchecked")
	public static <T> Patch<T> absent() {
		return (Patch<T>) ABSENT;
	}

	public static <T> Patch<T> of(T value) {
		return new Patch<>(true, value);
	}

	/** The value sent, or {@code current} when the field was absent. */
	public T orElse(T current) {
		return this.present ? this.value : current;
	}

}
