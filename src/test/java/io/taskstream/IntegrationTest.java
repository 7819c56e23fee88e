package io.taskstream;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.taskstream.events.transport.FaultInjectingTransport;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

/**
 * The one Spring context the integration tests share: every role, the in-process
 * transport (behind a {@link FaultInjectingTransport}), and a fresh embedded PostgreSQL
 * under {@code target/}, users authenticated by the {@link TestIssuer}'s tokens, and the
 * actuator on a management port of its own. Tests keep out of each other's way by using
 * their own users.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "taskstream.events.dapr.app-api-token=" + IntegrationTest.APP_TOKEN,
				"taskstream.embedded-postgres.data-directory=target/test-postgres",
				"taskstream.embedded-postgres.clean=true", "taskstream.events.relay.poll-interval=30s",
				"taskstream.events.relay.initial-backoff=20ms", "taskstream.events.relay.max-backoff=200ms",
				"taskstream.sse.heartbeat=300ms", "taskstream.webhooks.allow-private-targets=true",
				"taskstream.webhooks.initial-backoff=100ms", "taskstream.webhooks.max-backoff=300ms",
				"taskstream.webhooks.lease=2s", "taskstream.webhooks.timeout=8s" })
@ContextConfiguration(initializers = TestIssuer.Initializer.class)
@Import(FaultInjectingTransport.Configuration.class)
public @interface IntegrationTest {

	/** A token of an operator (the scope {@code taskstream.operator}). */
	String OPERATOR_TOKEN = TestIssuer.operatorToken();

	/** What a Dapr sidecar would present in {@code dapr-api-token}. */
	String APP_TOKEN = "test-app-token";

}
