package io.taskstream.platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.mock.env.MockEnvironment;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

class DevIssuerTests {

	@TempDir
	Path dir;

	@Test
	void itsTokensVerifyBySignatureIssuerAndAudience() throws Exception {
		DevIssuer issuer = DevIssuer.create(identity(null));

		Jwt jwt = decoder(issuer).decode(issuer.mint(new UserId("auth0|alice"), "taskstream.operator"));

		assertThat(jwt.getSubject()).isEqualTo("auth0|alice");
		assertThat(jwt.getIssuer().toString()).isEqualTo("https://dev-issuer.taskstream.invalid");
		assertThat(jwt.getAudience()).containsExactly("taskstream");
		assertThat(jwt.getClaimAsString("scope")).isEqualTo("taskstream.operator");
		assertThat(jwt.getExpiresAt()).isAfter(jwt.getIssuedAt());
	}

	@Test
	void anotherKeysTokensAreRejected() throws Exception {
		DevIssuer mine = DevIssuer.create(identity(null));
		DevIssuer other = DevIssuer.create(identity(null));

		assertThatThrownBy(() -> decoder(mine).decode(other.mint(new UserId("alice"), null)))
			.isInstanceOf(BadJwtException.class);
	}

	@Test
	void rolesSharingAKeyFileAcceptEachOthersTokens() throws Exception {
		Path key = this.dir.resolve("dev-issuer-key.pem");
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		Files.writeString(key,
				"-----BEGIN " + "PRIVATE KEY-----\n"
						+ Base64.getMimeEncoder().encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
						+ "\n-----END " + "PRIVATE KEY-----\n");
		DevIssuer tasks = DevIssuer.create(identity(key));
		DevIssuer audit = DevIssuer.create(identity(key));

		assertThat(decoder(audit).decode(tasks.mint(new UserId("alice"), null)).getSubject()).isEqualTo("alice");
		assertThat(tasks.jwks()).isEqualTo(audit.jwks());
	}

	@Test
	void aMissingKeyFileStopsTheStartNamingTheProperty() {
		assertThatIllegalStateException().isThrownBy(() -> DevIssuer.create(identity(this.dir.resolve("none.pem"))))
			.withMessageContaining("taskstream.identity.dev-issuer.key-file");
	}

	@Test
	void itIsOnByDefaultOnlyInTheOneJvmRunWithoutAnIssuer() {
		assertThat(DevIssuerConfiguration.isEnabled(new MockEnvironment())).isTrue();
		assertThat(DevIssuerConfiguration
			.isEnabled(new MockEnvironment().withProperty("taskstream.events.transport", "in-process"))).isTrue();
		assertThat(DevIssuerConfiguration
			.isEnabled(new MockEnvironment().withProperty("taskstream.events.transport", "dapr"))).isFalse();
		assertThat(DevIssuerConfiguration.isEnabled(new MockEnvironment()
			.withProperty("spring.security.oauth2.resourceserver.jwt.issuer-uri", "https://issuer.example.com")))
			.isFalse();
		assertThat(DevIssuerConfiguration.isEnabled(new MockEnvironment()
			.withProperty("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", "https://issuer.example.com/jwks")))
			.isFalse();
		assertThat(DevIssuerConfiguration
			.isEnabled(new MockEnvironment().withProperty("taskstream.events.transport", "dapr")
				.withProperty("taskstream.identity.dev-issuer.enabled", "true")))
			.isTrue();
		assertThat(DevIssuerConfiguration
			.isEnabled(new MockEnvironment().withProperty("taskstream.identity.dev-issuer.enabled", "false")))
			.isFalse();
	}

	@Test
	void inDaprModeItNeedsASharedKeyFile() {
		MockEnvironment dapr = new MockEnvironment().withProperty("taskstream.events.transport", "dapr");

		assertThatIllegalStateException()
			.isThrownBy(() -> new DevIssuerConfiguration.On().devIssuer(identity(null), dapr))
			.withMessageContaining("taskstream.identity.dev-issuer.key-file");
	}

	@Test
	void itRefusesToRunBesideARealIssuer() {
		MockEnvironment both = new MockEnvironment()
			.withProperty("spring.security.oauth2.resourceserver.jwt.issuer-uri", "https://issuer.example.com");

		assertThatIllegalStateException()
			.isThrownBy(() -> new DevIssuerConfiguration.On().devIssuer(identity(null), both))
			.withMessageContaining("choose one");
	}

	@Test
	void withNeitherAnIssuerNorTheDevIssuerNothingStarts() {
		assertThatIllegalStateException().isThrownBy(() -> SecurityConfiguration.requireDecoder(null))
			.withMessageContaining("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI")
			.withMessageContaining("taskstream.identity.dev-issuer.enabled");
	}

	@Test
	void daprModeRefusesToStartWithoutTheAppToken() {
		assertThatIllegalStateException().isThrownBy(() -> SecurityConfiguration.requireAppTokenInDaprMode("dapr", ""))
			.withMessageContaining("APP_API_TOKEN");
		SecurityConfiguration.requireAppTokenInDaprMode("dapr", "a-token");
		SecurityConfiguration.requireAppTokenInDaprMode("in-process", "");
	}

	@Test
	void theTokenEndpointMintsForAValidUserAndScope() throws Exception {
		DevIssuer issuer = DevIssuer.create(identity(null));
		MockMvc mvc = MockMvcBuilders.standaloneSetup(new DevIssuerController(issuer, identity(null)))
			.setControllerAdvice(new ProblemHandler(new DatabaseProperties(Duration.ofSeconds(5), Duration.ofSeconds(2),
					Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(2))))
			.build();

		mvc.perform(post("/dev/token").param("user", "alice").param("scope", "taskstream.operator"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.token_type").value("Bearer"))
			.andExpect(jsonPath("$.access_token").isString());
		mvc.perform(post("/dev/token").param("user", "bad user!"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value("https://taskstream.io/problems/invalid-request"));
		mvc.perform(post("/dev/token"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value("https://taskstream.io/problems/invalid-request"));
		mvc.perform(post("/dev/token").param("user", "alice").param("scope", "a\"b"))
			.andExpect(status().isBadRequest());
		mvc.perform(get("/dev/jwks.json")).andExpect(status().isOk()).andExpect(jsonPath("$.keys[0].kty").value("RSA"));
	}

	private static JwtDecoder decoder(DevIssuer issuer) throws Exception {
		return issuer.decoder(List.of(new UserClaimValidator("sub")));
	}

	private static IdentityProperties identity(Path keyFile) {
		return new IdentityProperties("sub", "taskstream.operator", "roles", "taskstream.operator",
				new IdentityProperties.DevIssuer(null, keyFile, "https://dev-issuer.taskstream.invalid", "taskstream",
						Duration.ofHours(1)));
	}

}
