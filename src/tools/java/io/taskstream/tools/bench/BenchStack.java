package io.taskstream.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.taskstream.tools.stack.LocalStack;
import io.taskstream.tools.stack.StackPorts;

/**
 * The benchmark's own local stack ({@link StackPorts#forBench()}), plus a sidecar without
 * an app that publishes to topics of its own, and the processes whose CPU and memory each
 * scenario reports.
 */
final class BenchStack {

	static final String BENCH_APP = "bench";

	static final String PUBSUB = "bench-pubsub";

	/** Within the benchmark's port set (StackPorts.forBench()), apart from the roles'. */
	static final StackPorts.RolePorts BENCH_SIDECAR = new StackPorts.RolePorts(BENCH_APP, 0, 23510, 24051, 24052,
			29199);

	private final LocalStack stack;

	private final Path state;

	BenchStack(LocalStack stack, Path state) {
		this.stack = stack;
		this.state = state;
	}

	/**
	 * Starts the stack (afresh unless {@code reuse}), the publishing sidecar and the
	 * benchmark's topics.
	 * @return the processes to watch, the load generator included
	 */
	ProcessUsage start(boolean reuse) throws IOException {
		if (!reuse) {
			Benchmark.progress("fresh benchmark stack in " + this.state + " (--reuse keeps a running one)");
			this.stack.downAndWipe();
		}
		this.stack.up();
		this.stack.startSidecar(BENCH_APP, BENCH_SIDECAR, resources(this.state));
		this.stack.createTopic("bench.raw", 4);
		this.stack.createTopic("bench.dapr", 4);
		this.stack.createTopic("bench.e2e", 1);
		Map<String, Long> pids = new LinkedHashMap<>();
		for (String part : this.stack.partNames()) {
			this.stack.pid(part).ifPresent((pid) -> pids.put(part, pid));
		}
		// PostgreSQL's server daemonizes away from its launcher JVM: follow the
		// postmaster and its backends instead
		Path postmaster = this.state.resolve("postgres/postmaster.pid");
		pids.put("postgres", Long.parseLong(Files.readAllLines(postmaster).get(0).trim()));
		pids.put(Measurements.LOAD_GENERATOR, ProcessHandle.current().pid());
		return new ProcessUsage(pids, Set.of("postgres"));
	}

	/**
	 * The benchmark sidecar's one component: Kafka like the roles' (same type, no auth),
	 * under its own name, with no subscriptions and none of the roles' topics.
	 */
	static Path resources(Path state) throws IOException {
		Path dir = state.resolve("bench-dapr/resources");
		Files.createDirectories(dir);
		Files.writeString(dir.resolve("bench-pubsub.yaml"), """
				apiVersion: dapr.io/v1alpha1
				kind: Component
				metadata:
				  name: %s
				spec:
				  type: pubsub.kafka
				  version: v1
				  metadata:
				    - name: brokers
				      envRef: KAFKA_BROKERS
				    - name: authType
				      value: "none"
				    - name: clientID
				      value: "taskstream-bench"
				    - name: allowedTopics
				      value: "bench.dapr"
				    - name: maxMessageBytes
				      value: "1048576"
				scopes:
				  - %s
				""".formatted(PUBSUB, BENCH_APP));
		return dir;
	}

}
