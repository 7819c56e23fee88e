package io.taskstream.tools.stack;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class StackPortsTests {

	private static final StackPorts.RolePorts BENCH_SIDECAR = new StackPorts.RolePorts("bench", 0, 23510, 24051, 24052,
			29199);

	@Test
	void noDefaultPortLiesInLinuxsEphemeralRange() {
		for (StackPorts plan : List.of(StackPorts.fromEnvironment(Map.of()), StackPorts.forTests(),
				StackPorts.forBench(), StackPorts.forSecureTests())) {
			assertThat(plan.all())
				.allSatisfy((name, port) -> assertThat(port < 32768 || port > 60999).as(name + " " + port).isTrue());
		}
		assertThat(StackPorts.sidecar(BENCH_SIDECAR).values()).allSatisfy((port) -> assertThat(port).isLessThan(32768));
	}

	@Test
	void theDevelopersTheTestsAndTheBenchmarksPortsAreDisjointAndAvoidTheReservedOnes() {
		List<Integer> everyPort = new ArrayList<>();
		everyPort.addAll(StackPorts.fromEnvironment(Map.of()).all().values());
		everyPort.addAll(StackPorts.forTests().all().values());
		everyPort.addAll(StackPorts.forBench().all().values());
		everyPort.addAll(StackPorts.forSecureTests().all().values());
		everyPort.addAll(StackPorts.sidecar(BENCH_SIDECAR).values());
		assertThat(everyPort).doesNotHaveDuplicates();
		// the roles' management (actuator) ports are 9080+i in each plan, and the
		// sidecars'
		// metrics ports stay where they are
		Set<Integer> management = new HashSet<>();
		for (int offset : List.of(0, 5_000, 10_000, 20_000)) {
			IntStream.range(0, 4).forEach((i) -> management.add(offset + 9080 + i));
		}
		assertThat(everyPort).containsAll(management);
		assertThat(StackPorts.fromEnvironment(Map.of()).roles()).extracting(StackPorts.RolePorts::daprMetrics)
			.containsExactly(9190, 9191, 9192, 9193);
	}

	@Test
	void everyPortCanBeOverriddenByItsEnvironmentVariable() {
		StackPorts ports = StackPorts.fromEnvironment(Map.of("TASKS_PORT", "18000", "AUDIT_DAPR_GRPC_PORT", " 4100 ",
				"KAFKA_PORT", "", "ZIPKIN_PORT", "9412"));
		assertThat(ports.of("tasks").app()).isEqualTo(18000);
		assertThat(ports.of("audit").daprGrpc()).isEqualTo(4100);
		assertThat(ports.kafka()).isEqualTo(9092);
		assertThat(ports.zipkin()).isEqualTo(9412);
		assertThat(ports.of("analytics").daprGrpc()).isEqualTo(4011);
		assertThat(ports.of("analytics").daprInternalGrpc()).isEqualTo(4012);
	}

	@Test
	void anOverrideThatIsNotAPortIsRefusedByName() {
		assertThatIllegalArgumentException().isThrownBy(() -> StackPorts.fromEnvironment(Map.of("TASKS_PORT", "x")))
			.withMessageContaining("TASKS_PORT=x");
		assertThatIllegalArgumentException().isThrownBy(() -> StackPorts.fromEnvironment(Map.of("KAFKA_PORT", "70000")))
			.withMessageContaining("KAFKA_PORT");
	}

	@Test
	void thePortsByPartNameEachPartsPorts() {
		Map<String, Map<String, Integer>> parts = StackPorts.forTests().byPart();
		assertThat(parts).containsKeys("postgres", "kafka", "zipkin", "tasks", "tasks-dapr", "audit-dapr");
		assertThat(parts.get("kafka")).containsEntry("kafka", 19092).containsEntry("kafka-controller", 19093);
		assertThat(parts.get("tasks-dapr")).containsOnlyKeys("tasks-dapr-http", "tasks-dapr-grpc",
				"tasks-dapr-internal", "tasks-dapr-metrics");
		assertThat(parts.get("tasks")).containsEntry("tasks", 18080).containsEntry("tasks-management", 19080);
		assertThat(StackPorts.forTests().all()).hasSize(4 + 4 * 6);
	}

}
