package io.taskstream.tools.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The local stack's ports. Each can be overridden by an environment variable of the same
 * name (e.g. {@code TASKS_PORT=18080}), so two stacks or a busy port need no code change.
 *
 * <p>
 * Every default lies below 32768, Linux's first ephemeral port (the range ends at 60999):
 * there an outgoing connection can hold a port just when a sidecar wants to listen on it
 * ({@code bind: address already in use} on 50012 with the old defaults, and on 51022
 * while a benchmark ran). The three plans (a developer's stack, the end-to-end tests',
 * the benchmark's) are disjoint, so they run side by side. Reserved, not used here: the
 * roles' management (actuator) ports 9080-9083 (19080-19083 for the tests, 29080-29083
 * for the benchmark).
 */
public record StackPorts(int postgres, int kafka, int kafkaController, int zipkin, List<RolePorts> roles) {

	/** The ports of one role and its sidecar. */
	public record RolePorts(String role, int app, int daprHttp, int daprGrpc, int daprInternalGrpc, int daprMetrics) {

		/** Where the role's actuator listens: its app port + 1000 (8080 -> 9080). */
		public int management() {
			return this.app + 1000;
		}

	}

	/**
	 * A Kafka node's listeners. Node 1 has the plan's {@code kafka} and
	 * {@code kafkaController}; node n of a cluster ({@code --kafka-nodes 3}) each plus
	 * 2(n-1): 9094/9095 and 9096/9097 in a developer's stack.
	 */
	public record KafkaNodePorts(int client, int controller) {
	}

	public static final List<String> ROLES = List.of("tasks", "analytics", "notifications", "audit");

	/** A developer's stack ({@code scripts/stack}), each port overridable. */
	public static StackPorts fromEnvironment() {
		return fromEnvironment(System.getenv());
	}

	static StackPorts fromEnvironment(Map<String, String> environment) {
		List<RolePorts> roles = new ArrayList<>();
		for (int i = 0; i < ROLES.size(); i++) {
			String role = ROLES.get(i);
			String prefix = role.toUpperCase(Locale.ROOT);
			roles.add(new RolePorts(role, port(environment, prefix + "_PORT", 8080 + i),
					port(environment, prefix + "_DAPR_HTTP_PORT", 3500 + i),
					port(environment, prefix + "_DAPR_GRPC_PORT", 4001 + 10 * i),
					port(environment, prefix + "_DAPR_INTERNAL_GRPC_PORT", 4002 + 10 * i),
					port(environment, prefix + "_DAPR_METRICS_PORT", 9190 + i)));
		}
		return new StackPorts(port(environment, "POSTGRES_PORT", 15432), port(environment, "KAFKA_PORT", 9092),
				port(environment, "KAFKA_CONTROLLER_PORT", 9093), port(environment, "ZIPKIN_PORT", 9411),
				List.copyOf(roles));
	}

	/**
	 * Ports of their own for the end-to-end tests, so they run beside a developer's
	 * stack: the defaults plus 10,000.
	 */
	public static StackPorts forTests() {
		return shifted(10_000, 15442);
	}

	/**
	 * Ports of their own for the end-to-end tests of the secured broker
	 * ({@code SecuredKafkaE2ETests}), disjoint from the other three plans: the defaults
	 * plus 5,000.
	 */
	public static StackPorts forSecureTests() {
		return shifted(5_000, 20432);
	}

	/**
	 * Ports of their own for the benchmark ({@code scripts/bench}), so it runs beside a
	 * developer's stack and the end-to-end tests: the defaults plus 20,000.
	 */
	public static StackPorts forBench() {
		return shifted(20_000, 25432);
	}

	private static StackPorts shifted(int offset, int postgres) {
		List<RolePorts> roles = new ArrayList<>();
		for (int i = 0; i < ROLES.size(); i++) {
			roles.add(new RolePorts(ROLES.get(i), offset + 8080 + i, offset + 3500 + i, offset + 4001 + 10 * i,
					offset + 4002 + 10 * i, offset + 9190 + i));
		}
		return new StackPorts(postgres, offset + 9092, offset + 9093, offset + 9411, List.copyOf(roles));
	}

	/**
	 * Ports of their own for the reliability scenarios ({@code scripts/chaos}), disjoint
	 * from the other four plans and from {@code scripts/control-plane}'s fixed ports
	 * (24000/24080, 25050/25080, 26257, 26443, 22379/22380): the defaults plus 12,000
	 * (apps 20080.., Kafka 21092-21097, PostgreSQL 25442).
	 */
	public static StackPorts forChaos() {
		return shifted(12_000, 25442);
	}

	/** The listeners of Kafka node {@code node} (1-based). */
	public KafkaNodePorts kafkaNode(int node) {
		if (node < 1) {
			throw new IllegalArgumentException("Kafka nodes count from 1");
		}
		return new KafkaNodePorts(this.kafka + 2 * (node - 1), this.kafkaController + 2 * (node - 1));
	}

	public RolePorts of(String role) {
		return this.roles.stream()
			.filter((ports) -> ports.role().equals(role))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("no role " + role));
	}

	/**
	 * The sidecar ports of an app attached to this stack ({@code scripts/stack attach}):
	 * slot {@code n} (0-19) takes four ports from the tasks sidecar's HTTP port + 100 +
	 * 10n (3600-3603 for the first in a developer's stack, 13600 in the tests' plan),
	 * clear of every other port of the four plans.
	 * @param appPort the attached app's own port
	 */
	public RolePorts attached(int slot, String appId, int appPort) {
		int base = of("tasks").daprHttp() + 100 + 10 * slot;
		return new RolePorts(appId, appPort, base, base + 1, base + 2, base + 3);
	}

	/**
	 * The ports each part listens on, by part ({@code postgres}, {@code tasks},
	 * {@code tasks-dapr}, ...) and then by what the port is for.
	 */
	public Map<String, Map<String, Integer>> byPart() {
		Map<String, Map<String, Integer>> parts = new LinkedHashMap<>();
		parts.put("postgres", Map.of("postgres", this.postgres));
		Map<String, Integer> kafka = new LinkedHashMap<>();
		kafka.put("kafka", this.kafka);
		kafka.put("kafka-controller", this.kafkaController);
		parts.put("kafka", kafka);
		parts.put("zipkin", Map.of("zipkin", this.zipkin));
		for (RolePorts role : this.roles) {
			Map<String, Integer> app = new LinkedHashMap<>();
			app.put(role.role(), role.app());
			app.put(role.role() + "-management", role.management());
			parts.put(role.role(), app);
			parts.put(role.role() + "-dapr", sidecar(role));
		}
		return parts;
	}

	/** The ports of a sidecar, by what each is for. */
	static Map<String, Integer> sidecar(RolePorts role) {
		Map<String, Integer> ports = new LinkedHashMap<>();
		ports.put(role.role() + "-dapr-http", role.daprHttp());
		ports.put(role.role() + "-dapr-grpc", role.daprGrpc());
		ports.put(role.role() + "-dapr-internal", role.daprInternalGrpc());
		ports.put(role.role() + "-dapr-metrics", role.daprMetrics());
		return ports;
	}

	/** Every port of the stack by what it is for. */
	public Map<String, Integer> all() {
		Map<String, Integer> all = new LinkedHashMap<>();
		byPart().values().forEach(all::putAll);
		return all;
	}

	private static int port(Map<String, String> environment, String variable, int fallback) {
		String value = environment.get(variable);
		if (value == null || value.isBlank()) {
			return fallback;
		}
		try {
			int port = Integer.parseInt(value.trim());
			if (port < 1 || port > 65535) {
				throw new NumberFormatException();
			}
			return port;
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(variable + "=" + value + " is not a port (1-65535)");
		}
	}

}
