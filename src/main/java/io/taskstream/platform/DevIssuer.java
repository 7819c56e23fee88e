package io.taskstream.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * A token issuer for trying Taskstream out: signs RS256 JWTs for any user name it is
 * given. Its tokens are checked like any issuer's, by signature, issuer, audience and
 * time; what makes it unfit for real users is that it asks nobody for a password.
 */
final class DevIssuer {

	private final RSAKey key;

	private final IdentityProperties identity;

	private DevIssuer(RSAKey key, IdentityProperties identity) {
		this.key = key;
		this.identity = identity;
	}

	/** An issuer with the key in {@code keyFile}, or with a new key if none is given. */
	static DevIssuer create(IdentityProperties identity) {
		Path keyFile = identity.devIssuer().keyFile();
		try {
			KeyPair pair = (keyFile != null) ? readKeyFile(keyFile) : newKeyPair();
			RSAKey key = new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey(pair.getPrivate())
				.keyIDFromThumbprint()
				.build();
			return new DevIssuer(key, identity);
		}
		catch (IOException | GeneralSecurityException | JOSEException ex) {
			throw new IllegalStateException("The dev issuer could not load its key from "
					+ "taskstream.identity.dev-issuer.key-file=" + keyFile + ": " + ex.getMessage(), ex);
		}
	}

	private static KeyPair newKeyPair() throws GeneralSecurityException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		return generator.generateKeyPair();
	}

	/** Reads a PKCS#8 PEM RSA private key ({@code openssl genpkey -algorithm RSA}). */
	private static KeyPair readKeyFile(Path file) throws IOException, GeneralSecurityException {
		String pem = Files.readString(file)
			.replace("-----BEGIN " + "PRIVATE KEY-----", "")
			.replace("-----END " + "PRIVATE KEY-----", "")
			.replaceAll("\\s", "");
		KeyFactory rsa = KeyFactory.getInstance("RSA");
		RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) rsa
			.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
		RSAPublicKey publicKey = (RSAPublicKey) rsa
			.generatePublic(new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
		return new KeyPair(publicKey, privateKey);
	}

	/**
	 * A signed token for the user.
	 * @param scope space-separated scopes, or {@code null}
	 */
	String mint(UserId user, String scope) {
		IdentityProperties.DevIssuer settings = this.identity.devIssuer();
		Instant now = Instant.now();
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(settings.issuer())
			.subject(user.value())
			.claim(this.identity.userClaim(), user.value())
			.audience(settings.audience())
			.issueTime(Date.from(now))
			.notBeforeTime(Date.from(now))
			.expirationTime(Date.from(now.plus(settings.tokenLifetime())))
			.jwtID(UUID.randomUUID().toString());
		if (scope != null && !scope.isBlank()) {
			claims.claim("scope", scope.trim());
		}
		SignedJWT jwt = new SignedJWT(
				new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(this.key.getKeyID()).type(JOSEObjectType.JWT).build(),
				claims.build());
		try {
			jwt.sign(new RSASSASigner(this.key));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		return jwt.serialize();
	}

	/**
	 * The public key as a JWK Set, for clients and tools that verify tokens themselves.
	 */
	Map<String, Object> jwks() {
		return new JWKSet(this.key.toPublicJWK()).toJSONObject();
	}

	/**
	 * Verifies this issuer's tokens the way Spring Boot's decoder verifies any issuer's.
	 */
	JwtDecoder decoder(List<OAuth2TokenValidator<Jwt>> additional) throws JOSEException {
		IdentityProperties.DevIssuer settings = this.identity.devIssuer();
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(this.key.toRSAPublicKey())
			.signatureAlgorithm(SignatureAlgorithm.RS256)
			.build();
		List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
		validators.add(JwtValidators.createDefaultWithIssuer(settings.issuer()));
		validators
			.add(new JwtClaimValidator<List<String>>("aud", (aud) -> aud != null && aud.contains(settings.audience())));
		validators.addAll(additional);
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
		return decoder;
	}

}
