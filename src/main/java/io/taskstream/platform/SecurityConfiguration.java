package io.taskstream.platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.servlet.DispatcherType;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.StringUtils;

/**
 * Who may call what, decided on the path as Spring resolves it, before any controller
 * runs.
 * <ul>
 * <li>{@code /api/v1/**}: a bearer JWT verified by Spring Security's resource server
 * (Spring Boot's {@code spring.security.oauth2.resourceserver.jwt.*}, or the
 * {@link DevIssuerConfiguration dev issuer}); anything wrong with it is a 401 problem
 * with {@code WWW-Authenticate: Bearer error="invalid_token"}.</li>
 * <li>Actuator endpoints, only on the management port (its own server, never routed from
 * outside), and the dev issuer when it is on: open.</li>
 * <li>Everything else (the Dapr SDK's {@code /dapr/**} and {@code /healthz}, the
 * subscription routes, and whatever an SDK adds later): only the sidecar, which sends
 * {@code APP_API_TOKEN} as {@code dapr-api-token}. Deny by default, so no spelling of a
 * path ({@code ;params}, percent-encoding, {@code //}, dot segments) slips past a prefix
 * check. The SDK's unused actor routes answer 404.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	/** The header in which the Dapr sidecar presents the app API token. */
	static final String APP_TOKEN_HEADER = "dapr-api-token";

	@Bean
	@Order(1)
	SecurityFilterChain apiSecurity(HttpSecurity http, IdentityProperties identity, ObjectProvider<JwtDecoder> decoders)
			throws Exception {
		requireDecoder(decoders.getIfAvailable());
		JwtAuthenticationConverter caller = new JwtAuthenticationConverter();
		caller.setPrincipalClaimName(identity.userClaim());
		caller.setJwtGrantedAuthoritiesConverter(new CallerAuthorities(identity));
		AuthenticationEntryPoint unauthenticated = bearerProblem();
		// Spring Security's challenge points clients at the RFC 9728 metadata of this
		// resource, which the resource server's filter serves on this chain
		RequestMatcher metadata = PathPatternRequestMatcher.pathPattern(HttpMethod.GET,
				"/.well-known/oauth-protected-resource");
		http.securityMatcher(new OrRequestMatcher(PathPatternRequestMatcher.pathPattern("/api/v1/**"), metadata))
			.authorizeHttpRequests(
					(requests) -> requests.requestMatchers(metadata).permitAll().anyRequest().authenticated())
			.oauth2ResourceServer((server) -> server.jwt((jwt) -> jwt.jwtAuthenticationConverter(caller))
				.authenticationEntryPoint(unauthenticated))
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(unauthenticated));
		return stateless(http).build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain sidecarSecurity(HttpSecurity http, DevIssuerConfiguration.Enabled devIssuer,
			@Value("${taskstream.events.transport:in-process}") String transport,
			@Value("${taskstream.events.dapr.app-api-token:}") String appToken) throws Exception {
		requireAppTokenInDaprMode(transport, appToken);
		RequestMatcher actors = PathPatternRequestMatcher.pathPattern("/actors/**");
		http.authorizeHttpRequests((requests) -> {
			// the container's own error page after a rejected request (400 from the
			// firewall)
			requests.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
			requests.requestMatchers(EndpointRequest.toAnyEndpoint()).permitAll();
			if (devIssuer.value()) {
				requests.requestMatchers(PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/dev/token"))
					.permitAll();
				requests.requestMatchers(PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/dev/jwks.json"))
					.permitAll();
			}
			// the published contracts (OpenAPI, Swagger UI, the event schema, AsyncAPI):
			// read-only documents for anyone who integrates, nothing behind them
			for (String path : ContractsConfiguration.PUBLIC_PATHS) {
				requests.requestMatchers(PathPatternRequestMatcher.pathPattern(HttpMethod.GET, path)).permitAll();
			}
			requests.requestMatchers(actors).denyAll();
			requests.anyRequest().access(appToken(appToken));
		})
			.exceptionHandling((exceptions) -> exceptions
				.defaultAuthenticationEntryPointFor((request, response, ex) -> ProblemResponses.write(request, response,
						Problems.notFound("There is nothing at this path.")), actors)
				.defaultAuthenticationEntryPointFor((request, response, ex) -> ProblemResponses.write(request, response,
						Problems
							.unauthenticated("This path is for the Dapr sidecar only: it needs the app API token in "
									+ APP_TOKEN_HEADER + ".")),
						(request) -> true));
		return stateless(http).build();
	}

	static void requireDecoder(JwtDecoder decoder) {
		if (decoder == null) {
			throw new IllegalStateException("No token issuer is configured, so no /api/v1 call could authenticate. "
					+ "Set spring.security.oauth2.resourceserver.jwt.issuer-uri (SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI) "
					+ "or .jwk-set-uri to your identity provider, or, for local use only, "
					+ "taskstream.identity.dev-issuer.enabled=true (see docs/security.md).");
		}
	}

	static void requireAppTokenInDaprMode(String transport, String appToken) {
		if ("dapr".equals(transport) && !StringUtils.hasText(appToken)) {
			throw new IllegalStateException("Dapr mode (taskstream.events.transport=dapr) needs APP_API_TOKEN: "
					+ "the sidecar presents it on every call to the app, and without it anyone who reaches the app "
					+ "port could post forged events to its subscription routes. Set the same APP_API_TOKEN for "
					+ "the app and its daprd.");
		}
	}

	@Bean
	UserClaimValidator userClaimValidator(IdentityProperties identity) {
		return new UserClaimValidator(identity.userClaim());
	}

	private static HttpSecurity stateless(HttpSecurity http) throws Exception {
		// no sessions and no cookies: every call carries its own credential, so CSRF has
		// nothing to ride on
		return http.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf((csrf) -> csrf.disable())
			.requestCache((cache) -> cache.disable())
			.anonymous((anonymous) -> {
			});
	}

	/**
	 * Spring Security's bearer entry point sets the status and the RFC 6750 challenge
	 * ({@code Bearer error="invalid_token", ...}, or a plain {@code Bearer} when no token
	 * came); the body is our problem.
	 */
	private static AuthenticationEntryPoint bearerProblem() {
		BearerTokenAuthenticationEntryPoint challenge = new BearerTokenAuthenticationEntryPoint();
		return (request, response, ex) -> {
			challenge.commence(request, response, ex);
			ProblemResponses.write(request, response,
					Problems.unauthenticated((ex instanceof OAuth2AuthenticationException)
							? "The bearer token was rejected: " + ex.getMessage()
							: "This API needs a bearer token: Authorization: Bearer <JWT>."));
		};
	}

	private static AuthorizationManager<RequestAuthorizationContext> appToken(String configured) {
		byte[] expected = (configured != null) ? configured.getBytes(StandardCharsets.UTF_8) : new byte[0];
		return (authentication, context) -> {
			String presented = context.getRequest().getHeader(APP_TOKEN_HEADER);
			// without a configured token (the one-JVM run has no sidecar) nothing is let
			// in
			boolean granted = expected.length > 0 && presented != null
					&& MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
			return new AuthorizationDecision(granted);
		};
	}

}
