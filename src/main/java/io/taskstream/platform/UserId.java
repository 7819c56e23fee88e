package io.taskstream.platform;

import java.util.regex.Pattern;

/**
 * The authenticated caller: the user claim of the verified bearer token
 * ({@code taskstream.identity.user-claim}), handed to controllers as a parameter of this
 * type.
 * <p>
 * The pattern admits the subjects real issuers give out: Cognito's UUIDs, Google's 21
 * digits, Entra ID's 43 base64url characters, Auth0's {@code auth0|...} and
 * {@code google-oauth2|...}, and e-mail-like ids. It is bounded by the database columns
 * ({@code varchar(64)}) and admits no spaces, control characters or quotes, so an id can
 * be logged and put in a URL or a header without escaping.
 *
 * @param value 1-64 characters of {@code [A-Za-z0-9._@|:+-]}
 */
public record UserId(String value) {

	/** What a user id may look like, for messages. */
	public static final String RULE = "1-64 characters of letters, digits, '.', '_', '@', '|', ':', '+' or '-'";

	private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._@|:+-]{1,64}");

	public UserId {
		if (!isValid(value)) {
			throw new IllegalArgumentException("a user id is " + RULE);
		}
	}

	public static boolean isValid(String value) {
		return value != null && VALID.matcher(value).matches();
	}

	@Override
	public String toString() {
		return this.value;
	}

}
