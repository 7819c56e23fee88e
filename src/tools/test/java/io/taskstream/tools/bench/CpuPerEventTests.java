package io.taskstream.tools.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CpuPerEventTests {

	static Scenario withCpu(Scenario scenario, Map<String, Double> cpuSeconds) {
		Map<String, ProcessUsage.Usage> resources = new LinkedHashMap<>();
		cpuSeconds.forEach((process, cpu) -> resources.put(process, new ProcessUsage.Usage(cpu, 100)));
		return new Scenario(scenario.id(), scenario.title(), scenario.seconds(), scenario.operations(),
				scenario.failures(), scenario.throughput(), scenario.latency(), scenario.pipeline(), resources);
	}

	static Results run(String sha, Scenario... scenarios) {
		return new Results("2026-11-30 21:00 UTC", sha, "2 cores (AMD EPYC), 24 GiB", "tracing on", false, "", 400,
				List.of(scenarios), Targets.evaluate(List.of(scenarios)), List.of());
	}

	@Test
	void cpuPerEventDividesEachProcessByTheStepsEventsAndLeavesOtherLoadOut() {
		// 2,000 events: 4 CPU s of tasks is 2 ms per event
		Scenario step = withCpu(TargetsTests.step(200, 200, TargetsTests.latency(5, 20, 30),
				TargetsTests.latency(6, 40, 90), 1, 1, 2000),
				Map.of("tasks", 4.0, "postgres", 1.0, ProcessUsage.OTHERS, 9.0));
		Map<String, Double> perEvent = CpuPerEvent.of(step);
		assertThat(perEvent).containsEntry("tasks", 2.0)
			.containsEntry("postgres", 0.5)
			.containsEntry(CpuPerEvent.TOTAL, 2.5)
			.doesNotContainKey(ProcessUsage.OTHERS);
		assertThat(CpuPerEvent.coresAt(step, "tasks", 1000)).isCloseTo(2.0, within(1e-9));
	}

	@Test
	void aScenarioOutsideThePipelineHasNoCpuPerEvent() {
		Scenario raw = TargetsTests.scenario("raw-sync", 1000, TargetsTests.latency(1, 2, 3));
		assertThat(CpuPerEvent.of(raw)).isEmpty();
	}

	@Test
	void theComparisonHasARowPerProcessWithBeforeAndAfterForTheScenariosBothRunsHave() {
		Results before = run("aaa1111", withCpu(TargetsTests.drain(500), Map.of("tasks", 10.0, "analytics", 20.0)),
				withCpu(TargetsTests.step(170, 170, TargetsTests.latency(5, 20, 30), TargetsTests.latency(6, 40, 90), 1,
						1, 1700), Map.of("tasks", 1.7)));
		Results after = run("bbb2222", withCpu(TargetsTests.drain(5000), Map.of("tasks", 2.0, "analytics", 4.0)));
		String table = CpuPerEvent.comparison(before, after);
		assertThat(table).startsWith("| CPU ms per event | drain |\n|---|---:|\n")
			.contains("| tasks | 0.50 → 0.10 |")
			.contains("| analytics | 1.00 → 0.20 |")
			.contains("| **total** | 1.50 → 0.30 |")
			.doesNotContain("pipeline-170");
	}

	@Test
	void theReportComparesWithTheCommittedRunWithBulkDeliveryOff() throws Exception {
		Path file = Path.of("bench/results", ResultFiles.BEFORE);
		Results before = Report.fromJson(Files.readString(file));
		Scenario drain = before.scenario("drain").orElseThrow();
		// 23.6 CPU s of PostgreSQL for 20,000 events
		assertThat(CpuPerEvent.of(drain).get("postgres")).isCloseTo(1.18, within(0.01));
		String markdown = Report.markdown(before, before);
		assertThat(markdown).contains("before (run of 2026-11-30 23:14 UTC, commit 51ceb6d) → after (this run)")
			.contains("| tasks | 10.66 → 10.66 | 3.49 → 3.49 |");
	}

}
