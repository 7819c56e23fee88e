package io.taskstream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The identity provider of the integration tests: a real JWK Set served over HTTP (a JDK
 * server on a free port) and tokens signed with its key, so the application verifies them
 * exactly as it verifies a cloud issuer's, through Spring Boot's own
 * {@code spring.security.oauth2.resourceserver.jwt.*} properties.
 */
public final class TestIssuer {

	public static final String ISSUER = "https://issuer.test.taskstream.io";

	public static final String AUDIENCE = "taskstream-test";

	public static final String OPERATOR_SCOPE = "taskstream.operator";

	private static final TestIssuer instance = new TestIssuer();

	/** The key in the served JWK Set. */
	private final RSAKey key;

	/** A key of nobody's, for forged signatures. */
	private final RSAKey rogue;

	private final HttpServer server;

	private final Map<String, String> userTokens = new ConcurrentHashMap<>();

	private TestIssuer() {
		try {
			this.key = new RSAKeyGenerator(2048).keyID("test-key-1").generate();
			this.rogue = new RSAKeyGenerator(2048).keyID("rogue-key").generate();
			byte[] jwks = new JWKSet(this.key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			this.server.createContext("/jwks.json", (exchange) -> {
				exchange.getResponseHeaders().add("Content-Type", "application/json");
				exchange.sendResponseHeaders(200, jwks.length);
				exchange.getResponseBody().write(jwks);
				exchange.close();
			});
			this.server.start();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static String jwkSetUri() {
		return "http://127.0.0.1:" + instance.server.getAddress().getPort() + "/jwks.json";
	}

	/** A valid token of the user, minted once per user. */
	public static String token(String user) {
		return instance.userTokens.computeIfAbsent(user, (key) -> claims(user).sign());
	}

	/** A valid token that makes its holder an operator. */
	public static String operatorToken() {
		return claims("operator-" + UUID.randomUUID().toString().substring(0, 8)).scope(OPERATOR_SCOPE).sign();
	}

	/** The claims of a valid token of the user, to change before signing. */
	public static Claims claims(String user) {
		return new Claims(user);
	}

	/** A token under construction; {@link #sign()} signs it with the served key. */
	public static final class Claims {

		private final JWTClaimsSet.Builder claims;

		private JWSAlgorithm algorithm = JWSAlgorithm.RS256;

		private RSAKey signer = instance.key;

		private String keyId = instance.key.getKeyID();

		Claims(String user) {
			Instant now = Instant.now();
			this.claims = new JWTClaimsSet.Builder().issuer(ISSUER)
				.subject(user)
				.audience(AUDIENCE)
				.issueTime(Date.from(now))
				.expirationTime(Date.from(now.plus(Duration.ofHours(2))))
				.jwtID(UUID.randomUUID().toString());
		}

		public Claims claim(String name, Object value) {
			this.claims.claim(name, value);
			return this;
		}

		public Claims scope(String scope) {
			return claim("scope", scope);
		}

		public Claims issuer(String issuer) {
			this.claims.issuer(issuer);
			return this;
		}

		public Claims audience(List<String> audience) {
			this.claims.audience(audience);
			return this;
		}

		public Claims expiresAt(Instant at) {
			this.claims.expirationTime(Date.from(at));
			return this;
		}

		public Claims notBefore(Instant at) {
			this.claims.notBeforeTime(Date.from(at));
			return this;
		}

		/**
		 * Signed with a key that is not in the JWK Set but claims the served key's id.
		 */
		public Claims forgedSignature() {
			this.signer = instance.rogue;
			return this;
		}

		/** Signed with a key that is not in the JWK Set, under its own id. */
		public Claims unknownKey() {
			this.signer = instance.rogue;
			this.keyId = instance.rogue.getKeyID();
			return this;
		}

		public Claims algorithm(JWSAlgorithm algorithm) {
			this.algorithm = algorithm;
			return this;
		}

		public JWTClaimsSet build() {
			return this.claims.build();
		}

		public String sign() {
			SignedJWT jwt = new SignedJWT(
					new JWSHeader.Builder(this.algorithm).keyID(this.keyId).type(JOSEObjectType.JWT).build(),
					this.claims.build());
			try {
				jwt.sign(new RSASSASigner(this.signer));
			}
			catch (JOSEException ex) {
				throw new IllegalStateException(ex);
			}
			return jwt.serialize();
		}

	}

	/** Points the application at this issuer with Spring Boot's own properties. */
	public static class Initializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			TestPropertyValues
				.of("spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + jwkSetUri(),
						"spring.security.oauth2.resourceserver.jwt.issuer-uri=" + ISSUER,
						"spring.security.oauth2.resourceserver.jwt.audiences=" + AUDIENCE)
				.applyTo(context);
		}

	}

}
