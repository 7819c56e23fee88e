package io.taskstream.e2e;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.taskstream.Api;
import io.taskstream.DevTokens;
import io.taskstream.EventLog;
import io.taskstream.tools.stack.LocalStack;
import io.taskstream.tools.stack.StackPorts;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one local stack every {@code *E2ETests} class shares: four role processes, each
 * with its own daprd sidecar, a Kafka broker (KRaft), Zipkin and PostgreSQL, all on
 * loopback, started by the same launcher as {@code scripts/stack}. Nothing is mocked.
 *
 * <p>
 * The first class that uses this extension starts it, once per JVM (failsafe runs the
 * classes in one JVM, in their {@code @Order}); it is stopped when the test run ends. The
 * analytics role is left out on purpose: {@link DeliveryE2ETests} starts it late, after
 * events were published; the later classes call {@link #withAnalytics()}.
 */
final class E2EStack implements BeforeAllCallback {

	static final String APP_TOKEN = "e2e-app-token-" + UUID.randomUUID();

	static final String DAPR_TOKEN = "e2e-dapr-token-" + UUID.randomUUID();

	/** An operator's token from the stack's dev issuer, minted once the stack runs. */
	static String OPERATOR_TOKEN;

	static final StackPorts ports = StackPorts.forTests();

	static final LocalStack stack = new LocalStack(repo(), repo().resolve("target/e2e-stack"), ports,
			Map.of("APP_API_TOKEN", APP_TOKEN, "DAPR_API_TOKEN", DAPR_TOKEN,
					"TASKSTREAM_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true", "TASKSTREAM_WEBHOOKS_INITIAL_BACKOFF", "500ms",
					"TASKSTREAM_WEBHOOKS_MAX_BACKOFF", "2s"));

	/**
	 * Users' tokens from the tasks role's dev issuer, minted on first use; every role
	 * accepts them, since the stack's roles share the issuer's key.
	 */
	static final DevTokens tokens = DevTokens.onPort(ports.of("tasks").app());

	static final Api tasks = Api.onPort(ports.of("tasks").app(), tokens);

	static final EventLog audit = new EventLog(Api.onPort(ports.of("audit").app(), tokens));

	static final Api analytics = Api.onPort(ports.of("analytics").app(), tokens);

	static final Api notifications = Api.onPort(ports.of("notifications").app(), tokens);

	@Override
	public void beforeAll(ExtensionContext context) {
		Started started = context.getRoot()
			.getStore(ExtensionContext.Namespace.create(E2EStack.class))
			.computeIfAbsent(Started.class, (key) -> Started.startWithoutAnalytics(), Started.class);
		if (started.failure != null) {
			throw started.failure;
		}
	}

	/** Starts the analytics role and its sidecar unless they run. */
	static void withAnalytics() {
		stack.startAll(List.of("analytics", "analytics-dapr"));
	}

	private static Path repo() {
		return Path.of("").toAbsolutePath();
	}

	/**
	 * The running stack, stopped when the root context's store closes; a failed start is
	 * kept, so every later class fails at once with it instead of starting again.
	 */
	static final class Started implements AutoCloseable {

		private final RuntimeException failure;

		private Started(RuntimeException failure) {
			this.failure = failure;
		}

		static Started startWithoutAnalytics() {
			try {
				stack.downAndWipe();
				stack.startAll(List.of("postgres", "kafka", "zipkin"));
				stack.startAll(
						List.of("tasks", "notifications", "audit", "tasks-dapr", "notifications-dapr", "audit-dapr"));
				OPERATOR_TOKEN = tokens.operator("e2e-operator");
				return new Started(null);
			}
			catch (RuntimeException ex) {
				return new Started(ex);
			}
		}

		@Override
		public void close() {
			stack.down();
		}

	}

}
