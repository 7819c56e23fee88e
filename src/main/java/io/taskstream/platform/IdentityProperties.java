package io.taskstream.platform;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who the caller of {@code /api/v1} is, read from the bearer JWT that Spring Security's
 * resource server verified ({@code spring.security.oauth2.resourceserver.jwt.*}).
 *
 * @param userClaim the claim that holds the user id ({@code sub} for most issuers)
 * @param operatorScope a scope that makes the caller an operator
 * @param rolesClaim the claim that lists the caller's roles or groups (Entra ID
 * {@code roles}, Cognito {@code cognito:groups})
 * @param operatorRole a role in {@code rolesClaim} that makes the caller an operator
 * @param devIssuer the built-in issuer of the one-command mode and the local stack
 */
@ConfigurationProperties("taskstream.identity")
@Validated
public record IdentityProperties(@DefaultValue("sub") @NotBlank String userClaim,
		@DefaultValue("taskstream.operator") @NotBlank String operatorScope,
		@DefaultValue("roles") @NotBlank String rolesClaim,
		@DefaultValue("taskstream.operator") @NotBlank String operatorRole, @DefaultValue @Valid DevIssuer devIssuer) {

	/**
	 * @param enabled unset: on only in the one-JVM run (in-process transport) when no
	 * issuer or JWKS is configured; in Dapr mode only when set to {@code true}
	 * @param keyFile a PKCS#8 PEM RSA private key that every role of a stack shares, so
	 * they accept each other's tokens; unset: a key made at start, for this process only
	 * @param issuer the {@code iss} of its tokens
	 * @param audience the {@code aud} of its tokens
	 * @param tokenLifetime how long a token it mints stays valid
	 */
	public record DevIssuer(Boolean enabled, Path keyFile,
			@DefaultValue("https://dev-issuer.taskstream.invalid") String issuer,
			@DefaultValue("taskstream") String audience, @DefaultValue("8h") Duration tokenLifetime) {
	}

}
