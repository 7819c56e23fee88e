package io.taskstream.tools.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BoundsTests {

	@Test
	void theCoresComeFromTheMachineLine() {
		assertThat(Bounds.cores("2 cores (AMD EPYC), 24 GiB")).isEqualTo(2);
		assertThat(Bounds.cores("16 cores, 64 GiB")).isEqualTo(16);
		assertThat(Bounds.cores("somewhere")).isEqualTo(1);
	}

	@Test
	void aMissedDrainIsBoundByTheCoresItsCpuPerEventNeeds() {
		// 20,000 events in 20 s; 0.75 ms per event for each subscriber, 0.25 the rest
		Scenario.Pipeline pipeline = new Scenario.Pipeline(0, 0, 20_000,
				Map.of("analytics", 20_000L, "notifications", 20_000L, "audit", 20_000L), Map.of(), 0, 0, 20, 8);
		Map<String, ProcessUsage.Usage> cpu = new LinkedHashMap<>();
		cpu.put("analytics", new ProcessUsage.Usage(15, 300));
		cpu.put("notifications", new ProcessUsage.Usage(15, 300));
		cpu.put("audit", new ProcessUsage.Usage(15, 300));
		cpu.put("postgres", new ProcessUsage.Usage(5, 100));
		Scenario drain = new Scenario("drain", "drain", 20, 20_000, 0, 1000, Latencies.NONE, pipeline, cpu);
		Results results = CpuPerEventTests.run("abc", drain);

		List<String> bounds = Bounds.of(results);

		assertThat(bounds).singleElement()
			.asString()
			.startsWith("**Backlog drain**: at drain's 2.50 ms of CPU per event, 5,000 events/s needs 12.5 cores "
					+ "(2 here; 0.40 ms per event would fit); the most: analytics 0.75 ms = 3.75 cores")
			.endsWith("; the relay published all 20000 in 8.0 s (2500 events/s), the rest is delivery");
	}

	@Test
	void aMissedLatencyTargetShowsHowBusyTheMachineWasAndWhereTheTimeWent() {
		Latencies published = new Latencies(2000, 2, 1.5, 3, 8, 20, 30);
		Scenario.Pipeline pipeline = new Scenario.Pipeline(200, 0, 2000,
				Map.of("analytics", 2000L, "notifications", 2000L, "audit", 2000L),
				Map.of("all", TargetsTests.latency(30, 400, 900), BenchDatabase.PUBLISHED, published), 1, 1, 0.5);
		Scenario step = new Scenario("pipeline-200", "step", 10, 2000, 0, 200, TargetsTests.latency(4, 20, 30),
				pipeline,
				Map.of("tasks", new ProcessUsage.Usage(12, 400), ProcessUsage.OTHERS, new ProcessUsage.Usage(2, 0)));

		List<String> bounds = Bounds.of(CpuPerEventTests.run("abc", step));

		assertThat(bounds).singleElement()
			.isEqualTo("**Pipeline at 200/s: commit → all three subscribers**: 67% busy (12.0 CPU s in 10.5 s on 2 "
					+ "cores, plus 2.0 of other load); commit → published (the relay and its sidecar) p50 1.50, "
					+ "p99 8.00 ms; commit → all three p50 30.0, p99 400 ms");
	}

	@Test
	void metTargetsNeedNoBound() {
		Scenario drain = TargetsTests.drain(6000);
		assertThat(Bounds.of(CpuPerEventTests.run("abc", drain))).isEmpty();
	}

}
