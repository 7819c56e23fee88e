package io.taskstream.platform;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.taskstream.Api;
import io.taskstream.IntegrationTest;
import io.taskstream.TestIssuer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every token that should not authenticate gets a 401 problem with an RFC 6750 challenge,
 * on every role's API; real issuers' subject styles are accepted. The tokens are minted
 * here and checked against the {@link TestIssuer}'s JWK Set over HTTP, as a cloud
 * issuer's would be.
 */
@IntegrationTest
class TokenCorpusIntegrationTests {

	@LocalServerPort
	int port;

	Api api;

	@BeforeEach
	void api() {
		this.api = Api.onPort(this.port);
	}

	/**
	 * @param authorization the whole Authorization header, or {@code null} for none
	 * @param invalidToken whether the challenge says {@code error="invalid_token"} (a
	 * token was presented) or is a plain {@code Bearer} (none was)
	 */
	record BadToken(String name, Supplier<String> authorization, boolean invalidToken) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	static Stream<BadToken> corpus() {
		Instant now = Instant.now();
		return Stream.of(new BadToken("missing", () -> null, false),
				new BadToken("wrong scheme", () -> "Basic dXNlcjpwYXNz", false),
				new BadToken("bearer without a token", () -> "Bearer ", true),
				new BadToken("bearer with only spaces", () -> "Bearer    ", true),
				bearer("malformed: not a JWT", () -> "not-a-jwt"),
				bearer("malformed: three garbage parts", () -> "abc.def.ghi"),
				bearer("malformed: characters outside base64url", () -> "eyJ!.eyJ$.sig"),
				bearer("expired", () -> claims().expiresAt(now.minus(Duration.ofMinutes(10))).sign()),
				bearer("not yet valid", () -> claims().notBefore(now.plus(Duration.ofMinutes(10))).sign()),
				bearer("wrong issuer", () -> claims().issuer("https://evil.example.com").sign()),
				bearer("wrong audience", () -> claims().audience(List.of("another-api")).sign()),
				bearer("bad signature (another key, the served key's kid)", () -> claims().forgedSignature().sign()),
				bearer("unknown kid", () -> claims().unknownKey().sign()), bearer("signature cut off", () -> {
					String token = claims().sign();
					return token.substring(0, token.lastIndexOf('.') + 1);
				}), bearer("payload changed after signing", TokenCorpusIntegrationTests::tamperedPayload),
				bearer("alg none", () -> new PlainJWT(claims().build()).serialize()),
				bearer("HS256 signed with the RSA public key", TokenCorpusIntegrationTests::hmacWithPublicKey),
				bearer("ES256 from a key of nobody's", TokenCorpusIntegrationTests::ellipticCurve),
				bearer("no user claim", () -> TestIssuer.claims(null).sign()),
				bearer("user claim with a space and '!'", () -> TestIssuer.claims("bad user!").sign()),
				bearer("user claim with a newline", () -> TestIssuer.claims("alice\nbob").sign()),
				bearer("user claim with a quote", () -> TestIssuer.claims("al\"ice").sign()),
				bearer("user claim of 65 characters", () -> TestIssuer.claims("u".repeat(65)).sign()),
				bearer("user claim that is a list", () -> claims().claim("sub", List.of("alice", "bob")).sign()),
				bearer("user claim that is empty", () -> TestIssuer.claims("").sign()));
	}

	@Test
	void theCorpusIsLargeEnough() {
		assertThat(corpus().count()).isGreaterThanOrEqualTo(15);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("corpus")
	void aBadTokenIsA401ProblemWithABearerChallenge(BadToken token) {
		for (String path : List.of("/api/v1/tasks", "/api/v1/analytics/summary", "/api/v1/notifications",
				"/api/v1/webhooks", "/api/v1/events", "/api/v1/deadletters")) {
			HttpRequest.Builder request = this.api.request(null, path);
			String authorization = token.authorization().get();
			if (authorization != null) {
				request.header("Authorization", authorization);
			}

			Api.Response response = this.api.send(request);

			assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(401);
			assertThat(response.contentType()).startsWith("application/problem+json");
			JsonNode problem = response.json();
			assertThat(problem.get("type").asString()).isEqualTo("https://taskstream.io/problems/unauthenticated");
			assertThat(problem.get("status").asInt()).isEqualTo(401);
			assertThat(problem.get("instance").asString()).isEqualTo(path);
			String challenge = response.header("WWW-Authenticate");
			if (token.invalidToken()) {
				assertThat(challenge).startsWith("Bearer error=\"invalid_token\"");
			}
			else {
				assertThat(challenge).startsWith("Bearer").doesNotContain("error=");
			}
		}
	}

	@Test
	void aLiveStreamNeedsAValidTokenToo() {
		for (String path : List.of("/api/v1/notifications/stream", "/api/v1/events/stream")) {
			Api.Response anonymous = this.api.send(
					this.api.request(null, path).header("Accept", "text/event-stream").timeout(Duration.ofSeconds(5)));
			assertThat(anonymous.status()).isEqualTo(401);
			Api.Response forged = this.api.send(this.api.request(null, path)
				.header("Accept", "text/event-stream")
				.header("Authorization", "Bearer " + claims().forgedSignature().sign())
				.timeout(Duration.ofSeconds(5)));
			assertThat(forged.status()).isEqualTo(401);
			assertThat(forged.header("WWW-Authenticate")).startsWith("Bearer error=\"invalid_token\"");
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "8f1e4c2a-7b3d-4e5f-9a6b-1c2d3e4f5a6b", "108204268033311374519",
			"AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ", "auth0|5f7c8ec7c33c6c004bbafe82",
			"google-oauth2|108204268033311374519", "jane.doe+tasks@example.com", "alice" })
	void realIssuersSubjectsAreUsers(String subject) {
		String token = TestIssuer.claims(subject).sign();
		Api api = Api.onPort(this.port, (user) -> token);

		JsonNode task = api.createTask(subject, "mine");
		Api.Response list = api.get(subject, "/api/v1/tasks");

		assertThat(list.status()).as(list.body()).isEqualTo(200);
		assertThat(list.json().get("items"))
			.anySatisfy((item) -> assertThat(item.get("id").asLong()).isEqualTo(task.get("id").asLong()));
		assertThat(Api.onPort(this.port).get(Api.newUser(), "/api/v1/tasks/" + task.get("id").asLong()).status())
			.as("another user")
			.isEqualTo(404);
	}

	@Test
	void aUserOnAnOperatorEndpointIsA403Problem() {
		Api.Response response = this.api.get(Api.newUser(), "/api/v1/deadletters");

		assertThat(response.status()).isEqualTo(403);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("type").asString()).isEqualTo("https://taskstream.io/problems/forbidden");
	}

	@Test
	void anOperatorIsWhoeverHasTheScopeOrTheRole() {
		String spaceSeparatedScope = claims().scope("openid taskstream.operator").sign();
		String entraScopes = claims().claim("scp", List.of("taskstream.operator")).sign();
		String role = claims().claim("roles", List.of("reader", "taskstream.operator")).sign();
		String otherScope = claims().scope("openid profile").claim("roles", List.of("reader")).sign();

		assertThat(this.api.operator(spaceSeparatedScope, "/api/v1/deadletters", "GET").status()).isEqualTo(200);
		assertThat(this.api.operator(entraScopes, "/api/v1/deadletters", "GET").status()).isEqualTo(200);
		assertThat(this.api.operator(role, "/api/v1/deadletters", "GET").status()).isEqualTo(200);
		assertThat(this.api.operator(otherScope, "/api/v1/deadletters", "GET").status()).isEqualTo(403);
	}

	@Test
	void theChallengesMetadataLinkAnswers() {
		String challenge = this.api.get(null, "/api/v1/tasks").header("WWW-Authenticate");
		String link = challenge.substring(challenge.indexOf("resource_metadata=\"") + 19, challenge.lastIndexOf('"'));

		Api.Response metadata = this.api.send(this.api.request(null, link.substring(link.indexOf("/.well-known"))));

		assertThat(metadata.status()).isEqualTo(200);
		assertThat(metadata.json().get("resource").asString()).startsWith("http://127.0.0.1:" + this.port);
	}

	@Test
	void theUserIdHeaderOfOldIsNotAnIdentity() {
		Api.Response response = this.api.send(this.api.request(null, "/api/v1/tasks").header("X-User-Id", "alice"));

		assertThat(response.status()).isEqualTo(401);
	}

	private static TestIssuer.Claims claims() {
		return TestIssuer.claims(Api.newUser());
	}

	private static BadToken bearer(String name, Supplier<String> token) {
		return new BadToken(name, () -> "Bearer " + token.get(), true);
	}

	private static String tamperedPayload() {
		String[] parts = claims().sign().split("\\.");
		String other = TestIssuer.claims("someone-else").sign().split("\\.")[1];
		return parts[0] + "." + other + "." + parts[2];
	}

	/**
	 * The algorithm-confusion attack: the public key, which anyone can fetch, as an HMAC
	 * secret.
	 */
	private static String hmacWithPublicKey() {
		try {
			JWKSet served = JWKSet.load(java.net.URI.create(TestIssuer.jwkSetUri()).toURL());
			RSAKey key = (RSAKey) served.getKeys().get(0);
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.getKeyID()).build(),
					claims().build());
			jwt.sign(new MACSigner(key.toRSAPublicKey().getEncoded()));
			return jwt.serialize();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String ellipticCurve() {
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("test-key-1").build(),
					claims().build());
			jwt.sign(new ECDSASigner(new ECKeyGenerator(Curve.P_256).generate()));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
