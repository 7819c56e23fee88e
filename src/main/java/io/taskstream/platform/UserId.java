package io.taskstream.platform;

import java.util.regex.Pattern;

/**
 * The authenticated caller. Today it comes from the {@code X-User-Id} header
 * ({@link IdentityInterceptor}); token authentication will replace that one seam.
 *
 * @param value 1-64 characters of {@code [A-Za-z0-9._@-]}
 */
public record UserId(String value) {

	/** The header that carries the caller's identity until tokens replace it. */
	public static final String HEADER = "X-User-Id";

	private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

	public UserId {
		if (value == null || !VALID.matcher(value).matches()) {
			throw new IllegalArgumentException("a user id is 1-64 characters of [A-Za-z0-9._@-]");
		}
	}

	static boolean isValid(String value) {
		return value != null && VALID.matcher(value).matches();
	}

	@Override
	public String toString() {
		return this.value;
	}

}
