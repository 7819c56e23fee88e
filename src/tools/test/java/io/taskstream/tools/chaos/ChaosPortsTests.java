package io.taskstream.tools.chaos;

import java.util.ArrayList;
import java.util.List;

import io.taskstream.tools.stack.StackPorts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChaosPortsTests {

	/** The benchmark's publishing sidecar (BenchStack.BENCH_SIDECAR). */
	private static final StackPorts.RolePorts BENCH_SIDECAR = new StackPorts.RolePorts("bench", 0, 23510, 24051, 24052,
			29199);

	@Test
	void theChaosPlanWithThreeKafkaNodesAndASecondInstanceCollidesWithNoOtherPlanAndAvoidsEphemeralPorts() {
		List<Integer> everyPort = new ArrayList<>();
		for (StackPorts plan : List.of(StackPorts.fromEnvironment(), StackPorts.forTests(), StackPorts.forSecureTests(),
				StackPorts.forBench(), StackPorts.forChaos())) {
			everyPort.addAll(plan.all().values());
			for (int node = 2; node <= 3; node++) {
				everyPort.add(plan.kafkaNode(node).client());
				everyPort.add(plan.kafkaNode(node).controller());
			}
		}
		everyPort.addAll(List.of(BENCH_SIDECAR.daprHttp(), BENCH_SIDECAR.daprGrpc(), BENCH_SIDECAR.daprInternalGrpc(),
				BENCH_SIDECAR.daprMetrics()));
		StackPorts.RolePorts second = Rebalance.SECOND;
		everyPort.addAll(List.of(second.app(), second.management(), second.daprHttp(), second.daprGrpc(),
				second.daprInternalGrpc(), second.daprMetrics()));

		// scripts/control-plane's fixed ports: apiserver, etcd, controller-manager,
		// sentry,
		// injector
		everyPort.addAll(List.of(26443, 22379, 22380, 26257, 25050, 25080, 24000, 24080));

		assertThat(everyPort).doesNotHaveDuplicates().allSatisfy((port) -> assertThat(port).isLessThan(32768));
		assertThat(StackPorts.forChaos().kafkaNode(3)).isEqualTo(new StackPorts.KafkaNodePorts(21096, 21097));
	}

}
