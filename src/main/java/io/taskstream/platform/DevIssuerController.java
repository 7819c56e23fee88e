package io.taskstream.platform;

import java.util.Map;

import org.springframework.context.annotation.Conditional;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /dev/token} ({@code user=alice}, optional
 * {@code scope=taskstream.operator}) answers a token in the shape of an OAuth 2.0 token
 * response; {@code GET /dev/jwks.json} its public key.
 */
@RestController
@Conditional(DevIssuerConfiguration.OnDevIssuer.class)
class DevIssuerController {

	private final DevIssuer issuer;

	private final IdentityProperties identity;

	DevIssuerController(DevIssuer issuer, IdentityProperties identity) {
		this.issuer = issuer;
		this.identity = identity;
	}

	@PostMapping(path = "/dev/token", produces = MediaType.APPLICATION_JSON_VALUE)
	Map<String, Object> token(@RequestParam(required = false) String user,
			@RequestParam(required = false) String scope) {
		if (!UserId.isValid(user)) {
			throw Problems.invalidField("user", "is required: " + UserId.RULE);
		}
		if (scope != null
				&& !scope.matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,100}( [\\x21\\x23-\\x5B\\x5D-\\x7E]{1,100}){0,9}")) {
			throw Problems.invalidField("scope", "must be up to 10 space-separated scope tokens (RFC 6749 3.3)");
		}
		return Map.of("access_token", this.issuer.mint(new UserId(user), scope), "token_type", "Bearer", "expires_in",
				this.identity.devIssuer().tokenLifetime().toSeconds());
	}

	@GetMapping(path = "/dev/jwks.json", produces = MediaType.APPLICATION_JSON_VALUE)
	Map<String, Object> jwks() {
		return this.issuer.jwks();
	}

}
