package io.taskstream.tools.stack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** The environment of each role's app and sidecar in the local stack. */
final class RoleEnvironment {

	/** A role's heap unless {@link #heap(String)} is told otherwise. */
	static final String DEFAULT_HEAP = "256m";

	private final StackPorts ports;

	/**
	 * Set for every app (e.g. {@code TASKSTREAM_WEBHOOKS_ALLOW_PRIVATE_TARGETS}), and the
	 * API tokens for every sidecar too.
	 */
	private final Map<String, String> overrides;

	/** The launching process's environment: it fills the API tokens not set above. */
	private final Function<String, String> inherited;

	private final StackSecrets secrets;

	/** Every Kafka node's client listener: the sidecars' {@code KAFKA_BROKERS}. */
	private final String brokers;

	RoleEnvironment(StackPorts ports, Map<String, String> overrides, Function<String, String> inherited,
			StackSecrets secrets) {
		this(ports, overrides, inherited, secrets, "127.0.0.1:" + ports.kafka());
	}

	RoleEnvironment(StackPorts ports, Map<String, String> overrides, Function<String, String> inherited,
			StackSecrets secrets, String brokers) {
		this.brokers = brokers;
		this.ports = ports;
		this.overrides = Map.copyOf(overrides);
		this.inherited = inherited;
		this.secrets = secrets;
	}

	/**
	 * The role's app: its role, ports, database, sidecar, tracing (one service name per
	 * role, the sidecar's app-id) and the stack's dev token issuer; then the stack's
	 * overrides and the API tokens.
	 */
	Map<String, String> forApp(StackPorts.RolePorts role) {
		Map<String, String> env = new LinkedHashMap<>();
		env.put("TASKSTREAM_ROLES", role.role());
		env.put("SERVER_PORT", Integer.toString(role.app()));
		env.put("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:" + this.ports.postgres() + "/postgres");
		env.put("SPRING_DATASOURCE_USERNAME", "postgres");
		env.put("TASKSTREAM_EVENTS_TRANSPORT", "dapr");
		env.put("DAPR_HTTP_PORT", Integer.toString(role.daprHttp()));
		env.put("MANAGEMENT_PORT", Integer.toString(role.management()));
		env.put("SPRING_APPLICATION_NAME", role.role());
		env.put("TASKSTREAM_IDENTITY_DEV_ISSUER_ENABLED", "true");
		env.put("TASKSTREAM_IDENTITY_DEV_ISSUER_KEY_FILE", this.secrets.devIssuerKey().toString());
		env.put("TASKSTREAM_TRACING_EXPORT", "true");
		env.put("ZIPKIN_ENDPOINT", "http://127.0.0.1:" + this.ports.zipkin() + "/api/v2/spans");
		env.putAll(this.overrides);
		env.putAll(apiTokens());
		return env;
	}

	/**
	 * A sidecar (a role's or one without an app): the brokers (the component's only
	 * difference between one node and a cluster) and the API tokens.
	 */
	Map<String, String> forSidecar() {
		Map<String, String> env = new LinkedHashMap<>(apiTokens());
		env.put("KAFKA_BROKERS", this.brokers);
		return env;
	}

	/**
	 * A role's {@code -Xmx}: {@code TASKSTREAM_STACK_HEAP_<ROLE>} (e.g. {@code 1g} for
	 * the notifications role holding 10,000 live streams in
	 * {@code scripts/chaos sse-10k}) from the stack's overrides, else from the launching
	 * process's environment (so {@code TASKSTREAM_STACK_HEAP_TASKS=512m scripts/stack up}
	 * works), else 256 MB. The value is checked here: a typo would otherwise surface as a
	 * JVM that does not start.
	 */
	String heap(String role) {
		String name = "TASKSTREAM_STACK_HEAP_" + role.toUpperCase(Locale.ROOT).replace('-', '_');
		String value = this.overrides.getOrDefault(name, this.inherited.apply(name));
		if (value == null || value.isBlank()) {
			return DEFAULT_HEAP;
		}
		if (!value.strip().matches("[1-9][0-9]*[kKmMgG]?")) {
			throw new IllegalArgumentException(
					name + " must be a heap size such as 512m or 1g (the JVM's -Xmx), not '" + value + "'");
		}
		return value.strip();
	}

	/** A value the stack was given, e.g. {@code TASKSTREAM_TRACING_SAMPLING}. */
	String override(String name) {
		return this.overrides.get(name);
	}

	/**
	 * The API tokens, when set, go to both the app and its sidecar; the app token always
	 * (an app in Dapr mode refuses to start without one), the stack's own if none is
	 * given.
	 */
	private Map<String, String> apiTokens() {
		Map<String, String> env = new LinkedHashMap<>();
		for (String name : List.of("APP_API_TOKEN", "DAPR_API_TOKEN")) {
			String value = this.overrides.getOrDefault(name, this.inherited.apply(name));
			if (value != null && !value.isBlank()) {
				env.put(name, value);
			}
		}
		env.computeIfAbsent("APP_API_TOKEN", (name) -> this.secrets.appApiToken());
		return env;
	}

}
