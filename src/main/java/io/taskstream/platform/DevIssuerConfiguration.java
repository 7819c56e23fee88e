package io.taskstream.platform;

import java.util.List;

import com.nimbusds.jose.JOSEException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.util.StringUtils;

/**
 * The built-in dev issuer ({@link DevIssuer}): on by default only in the one-JVM run
 * (in-process transport) with no issuer configured, so {@code ./mvnw spring-boot:run}
 * needs nothing installed; in Dapr mode only when
 * {@code taskstream.identity.dev-issuer.enabled=true} (the local stack sets it, with a
 * key file all its roles share). Its decoder stands in for Spring Boot's, which backs off
 * when a {@link JwtDecoder} bean exists.
 */
@Configuration(proxyBeanMethods = false)
class DevIssuerConfiguration {

	private static final Log log = LogFactory.getLog(DevIssuerConfiguration.class);

	private static final String ENABLED = "taskstream.identity.dev-issuer.enabled";

	private static final List<String> ISSUER_PROPERTIES = List.of(
			"spring.security.oauth2.resourceserver.jwt.issuer-uri",
			"spring.security.oauth2.resourceserver.jwt.jwk-set-uri",
			"spring.security.oauth2.resourceserver.jwt.public-key-location");

	/** Whether the dev issuer is on in this process. */
	record Enabled(boolean value) {
	}

	@Bean
	Enabled devIssuerEnabled(Environment environment) {
		return new Enabled(isEnabled(environment));
	}

	static boolean isEnabled(Environment environment) {
		Boolean explicit = environment.getProperty(ENABLED, Boolean.class);
		if (explicit != null) {
			return explicit;
		}
		boolean dapr = "dapr".equals(environment.getProperty("taskstream.events.transport"));
		return !dapr && !hasIssuer(environment);
	}

	private static boolean hasIssuer(Environment environment) {
		return ISSUER_PROPERTIES.stream().anyMatch((name) -> StringUtils.hasText(environment.getProperty(name)));
	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(OnDevIssuer.class)
	static class On {

		@Bean
		DevIssuer devIssuer(IdentityProperties identity, Environment environment) {
			if (hasIssuer(environment)) {
				throw new IllegalStateException(ENABLED + "=true and an issuer (" + ISSUER_PROPERTIES
						+ ") are both set: a process trusts one issuer, so choose one.");
			}
			boolean dapr = "dapr".equals(environment.getProperty("taskstream.events.transport"));
			if (dapr && identity.devIssuer().keyFile() == null) {
				throw new IllegalStateException("The dev issuer in Dapr mode needs "
						+ "taskstream.identity.dev-issuer.key-file: every role of the stack must accept the "
						+ "tokens the others mint, so they share one key.");
			}
			log.warn("""

					*************************************************************************
					* DEV ISSUER ON: POST /dev/token mints a signed token for ANY user name, *
					* operators included, without a password. Never expose this process.    *
					* Real installs set spring.security.oauth2.resourceserver.jwt.issuer-uri *
					*************************************************************************""");
			return DevIssuer.create(identity);
		}

		@Bean
		JwtDecoder devIssuerJwtDecoder(DevIssuer issuer, List<OAuth2TokenValidator<Jwt>> validators)
				throws JOSEException {
			return issuer.decoder(validators);
		}

	}

	static class OnDevIssuer implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return isEnabled(context.getEnvironment());
		}

	}

}
