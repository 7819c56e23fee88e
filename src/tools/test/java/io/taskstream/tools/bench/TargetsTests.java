package io.taskstream.tools.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TargetsTests {

	static Latencies latency(double p50, double p99, double p999) {
		return new Latencies(1000, p50, p50, p99, p99, p999, p999);
	}

	static Scenario scenario(String id, double throughput, Latencies latency) {
		return new Scenario(id, id, 10, (long) (throughput * 10), 0, throughput, latency, null,
				Map.of("tasks-dapr", new ProcessUsage.Usage(1, 80), "tasks", new ProcessUsage.Usage(1, 400)));
	}

	static Scenario step(double rate, double throughput, Latencies api, Latencies all, long lagStart, long lagEnd,
			long delivered) {
		long events = (long) (throughput * 10);
		Map<String, Long> counts = new LinkedHashMap<>();
		List.of("analytics", "notifications", "audit").forEach((s) -> counts.put(s, Math.min(events, delivered)));
		Scenario.Pipeline pipeline = new Scenario.Pipeline(rate, 0, events, counts, Map.of("all", all), lagStart,
				lagEnd, 1);
		return new Scenario("pipeline-" + (int) rate, "step", 10, events, 0, throughput, api, pipeline, Map.of());
	}

	static Scenario drain(double rate) {
		Scenario.Pipeline pipeline = new Scenario.Pipeline(0, 0, 20_000,
				Map.of("analytics", 20_000L, "notifications", 20_000L, "audit", 20_000L), Map.of(), 0, 0, 1);
		return new Scenario("drain", "drain", 20_000 / rate, 20_000, 0, rate, Latencies.NONE, pipeline, Map.of());
	}

	static Map<String, Boolean> verdicts(List<Scenario> scenarios) {
		Map<String, Boolean> verdicts = new LinkedHashMap<>();
		Targets.evaluate(scenarios).forEach((target) -> verdicts.put(target.name(), target.met()));
		return verdicts;
	}

	@Test
	void aRunThatMeetsEveryTargetSaysSo() {
		List<Scenario> run = List.of(scenario("raw-async", 100_000, latency(2, 5, 9)),
				scenario("raw-sync-paced", 3000, latency(2, 4, 6)),
				scenario("dapr-single-paced", 3000, latency(2.5, 6, 9)),
				scenario("dapr-bulk-100", 60_000, latency(5, 9, 9)),
				step(200, 200, latency(5, 20, 30), latency(6, 40, 90), 10, 12, 2000),
				step(1000, 990, latency(5, 20, 30), latency(6, 40, 90), 100, 120, 9900), drain(6000));
		assertThat(verdicts(run).values()).containsOnly(true);
	}

	@Test
	void eachMissIsNamed() {
		List<Scenario> run = List.of(scenario("raw-async", 100_000, latency(2, 5, 9)),
				scenario("raw-sync-paced", 3000, latency(2, 4, 6)),
				scenario("dapr-single-paced", 3000, latency(3.5, 30, 40)),
				scenario("dapr-bulk-10", 10_000, latency(5, 9, 9)),
				step(200, 200, latency(5, 30, 40), latency(12, 60, 200), 10, 12, 2000),
				step(1000, 400, latency(900, 2000, 3000), latency(900, 5000, 9000), 100, 3000, 3000), drain(400));
		Map<String, Boolean> verdicts = verdicts(run);
		assertThat(verdicts).containsEntry("Dapr single publish overhead p50", false)
			.containsEntry("Dapr single publish overhead p99", false)
			.containsEntry("Dapr bulk publish throughput", false)
			.containsEntry("Pipeline at 200/s: API p99", false)
			.containsEntry("Pipeline at 200/s: commit → all three subscribers", false)
			.containsEntry("Sustained 1,000 writes/s", false)
			.containsEntry("Backlog drain", false)
			.containsEntry("daprd RSS", true);
	}

	@Test
	void aGrowingLagFailsTheSustainedTargetEvenAtFullRate() {
		List<Scenario> run = List.of(step(1000, 1000, latency(5, 20, 30), latency(6, 40, 90), 100, 2000, 10_000));
		assertThat(verdicts(run)).containsEntry("Sustained 1,000 writes/s", false);
	}

	@Test
	void scenariosThatDidNotRunAreNotMeasuredRatherThanMissed() {
		Map<String, Boolean> verdicts = verdicts(List.of());
		assertThat(verdicts).containsEntry("Backlog drain", null).containsEntry("Sustained 1,000 writes/s", null);
	}

}
