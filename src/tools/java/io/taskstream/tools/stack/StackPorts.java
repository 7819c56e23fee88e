package io.taskstream.tools.stack;

import java.util.List;

/**
 * The local stack's ports. Each can be overridden by an environment variable of the same
 * name (e.g. {@code TASKS_PORT=18080}), so two stacks or a busy port need no code change.
 */
public record StackPorts(int postgres, int kafka, int kafkaController, int zipkin, List<RolePorts> roles) {

	/** The ports of one role and its sidecar. */
	public record RolePorts(String role, int app, int daprHttp, int daprGrpc, int daprInternalGrpc, int daprMetrics) {
	}

	public static final List<String> ROLES = List.of("tasks", "analytics", "notifications", "audit");

	public static StackPorts fromEnvironment() {
		List<RolePorts> roles = new java.util.ArrayList<>();
		for (int i = 0; i < ROLES.size(); i++) {
			String role = ROLES.get(i);
			String prefix = role.toUpperCase(java.util.Locale.ROOT);
			roles.add(new RolePorts(role, port(prefix + "_PORT", 8080 + i), port(prefix + "_DAPR_HTTP_PORT", 3500 + i),
					port(prefix + "_DAPR_GRPC_PORT", 50001 + 10 * i),
					port(prefix + "_DAPR_INTERNAL_GRPC_PORT", 50002 + 10 * i),
					port(prefix + "_DAPR_METRICS_PORT", 9190 + i)));
		}
		return new StackPorts(port("POSTGRES_PORT", 15432), port("KAFKA_PORT", 9092),
				port("KAFKA_CONTROLLER_PORT", 9093), port("ZIPKIN_PORT", 9411), List.copyOf(roles));
	}

	/**
	 * Ports of their own for the end-to-end tests, so they run beside a developer's
	 * stack; all below Linux's ephemeral range (32768-60999), where an outgoing
	 * connection can hold a port just when a sidecar wants to listen on it (seen once:
	 * {@code bind: address already in use} on 51022 while a benchmark ran).
	 */
	public static StackPorts forTests() {
		List<RolePorts> roles = new java.util.ArrayList<>();
		for (int i = 0; i < ROLES.size(); i++) {
			roles.add(new RolePorts(ROLES.get(i), 18080 + i, 13500 + i, 14001 + 10 * i, 14002 + 10 * i, 19190 + i));
		}
		return new StackPorts(15442, 19092, 19093, 19411, List.copyOf(roles));
	}

	/**
	 * Ports of their own for the benchmark ({@code scripts/bench}), so it runs beside a
	 * developer's stack and the end-to-end tests. All below 32768, Linux's first
	 * ephemeral port: a sidecar once failed to start because an outgoing connection held
	 * its gRPC port.
	 */
	public static StackPorts forBench() {
		List<RolePorts> roles = new java.util.ArrayList<>();
		for (int i = 0; i < ROLES.size(); i++) {
			roles.add(new RolePorts(ROLES.get(i), 28080 + i, 23500 + i, 24001 + 10 * i, 24002 + 10 * i, 29190 + i));
		}
		return new StackPorts(25432, 29092, 29093, 29411, List.copyOf(roles));
	}

	public RolePorts of(String role) {
		return this.roles.stream()
			.filter((ports) -> ports.role().equals(role))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("no role " + role));
	}

	private static int port(String variable, int fallback) {
		String value = System.getenv(variable);
		return (value == null || value.isBlank()) ? fallback : Integer.parseInt(value.trim());
	}

}
