package io.taskstream.platform;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Rejects a token whose user claim is missing or is not a {@link UserId}, as an invalid
 * token (401) rather than a failure deep in a controller. As a bean it joins the
 * validators of Spring Boot's own JWT decoder; the dev issuer's decoder uses it too.
 */
final class UserClaimValidator implements OAuth2TokenValidator<Jwt> {

	private final String claim;

	UserClaimValidator(String claim) {
		this.claim = claim;
	}

	@Override
	public OAuth2TokenValidatorResult validate(Jwt token) {
		Object value = token.getClaims().get(this.claim);
		if (value instanceof String user && UserId.isValid(user)) {
			return OAuth2TokenValidatorResult.success();
		}
		return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
				"The '" + this.claim + "' claim must be a user id: " + UserId.RULE + ".", null));
	}

}
