package io.taskstream.tools.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The targets of issues 7 and 15, judged from a run's scenarios. Tests never assert
 * timings. Issue 15's pipeline targets hold on 2 cores with tracing sampling 1 and
 * acks=all: commit → all three subscribers at 200 writes/s, 1,000 writes/s sustained, and
 * a backlog drained to all three at 5,000 events/s.
 */
final class Targets {

	static final double SUSTAINED_RATE = 1000;

	static final double DRAIN_RATE = 5000;

	static final double DAPRD_RSS_MB = 100;

	static final double ROLE_RSS_MB = 512;

	private Targets() {
	}

	static List<Target> evaluate(List<Scenario> scenarios) {
		Function<String, Optional<Scenario>> find = (
				id) -> scenarios.stream().filter((scenario) -> scenario.id().equals(id)).findFirst();
		List<Target> targets = new ArrayList<>();

		Optional<Scenario> raw = find.apply("raw-sync-paced");
		Optional<Scenario> dapr = find.apply("dapr-single-paced");
		if (raw.isPresent() && dapr.isPresent()) {
			double p50 = dapr.get().latency().p50() - raw.get().latency().p50();
			double p99 = dapr.get().latency().p99() - raw.get().latency().p99();
			targets.add(new Target("Dapr single publish overhead p50", "≤ 1 ms over raw sync, same rate",
					format("%+.2f ms (%.2f vs %.2f) at %.0f/s", p50, dapr.get().latency().p50(),
							raw.get().latency().p50(), dapr.get().throughput()),
					p50 <= 1));
			targets.add(new Target("Dapr single publish overhead p99", "≤ 3 ms over raw sync, same rate",
					format("%+.2f ms (%.2f vs %.2f)", p99, dapr.get().latency().p99(), raw.get().latency().p99()),
					p99 <= 3));
		}
		else {
			targets.add(new Target("Dapr single publish overhead", "≤ 1 ms p50, ≤ 3 ms p99", "-", null));
		}

		Optional<Scenario> async = find.apply("raw-async");
		Optional<Scenario> bulk = scenarios.stream()
			.filter((scenario) -> scenario.id().startsWith("dapr-bulk"))
			.max((a, b) -> Double.compare(a.throughput(), b.throughput()));
		if (async.isPresent() && bulk.isPresent()) {
			double share = bulk.get().throughput() / async.get().throughput();
			targets.add(new Target(
					"Dapr bulk publish throughput", "≥ 50% of raw async", format("%.0f%% (%s %.0f/s vs %.0f/s)",
							share * 100, bulk.get().id(), bulk.get().throughput(), async.get().throughput()),
					share >= 0.5));
		}

		Optional<Scenario> at200 = find.apply("pipeline-200");
		if (at200.isPresent() && at200.get().pipeline() != null) {
			Scenario step = at200.get();
			Latencies all = step.pipeline().commitToHandler().getOrDefault("all", Latencies.NONE);
			targets.add(new Target("Pipeline at 200/s: API p99", "≤ 25 ms", format("%.1f ms", step.latency().p99()),
					step.latency().p99() <= 25));
			boolean delivered = step.pipeline().allDelivered();
			targets.add(new Target("Pipeline at 200/s: commit → all three subscribers",
					"p50 ≤ 10, p99 ≤ 50, p99.9 ≤ 100 ms",
					format("p50 %.1f, p99 %.1f, p99.9 %.1f ms%s", all.p50(), all.p99(), all.p999(),
							delivered ? "" : " (not all delivered)"),
					delivered && all.count() > 0 && all.p50() <= 10 && all.p99() <= 50 && all.p999() <= 100));
		}
		else {
			targets.add(new Target("Pipeline at 200/s",
					"API p99 ≤ 25 ms; commit → subscribers p50/p99/p99.9 ≤ 10/50/100", "-", null));
		}

		Optional<Scenario> sustained = find.apply("pipeline-" + (int) SUSTAINED_RATE);
		if (sustained.isPresent() && sustained.get().pipeline() != null) {
			Scenario step = sustained.get();
			Scenario.Pipeline pipeline = step.pipeline();
			boolean rate = step.throughput() >= 0.95 * SUSTAINED_RATE;
			targets.add(new Target("Sustained 1,000 writes/s",
					"≥ 95% of the rate, all delivered to all three, lag not growing",
					format("%.0f writes/s; %s; lag %d → %d", step.throughput(),
							pipeline.allDelivered() ? "all delivered" : "delivered " + pipeline.delivered(),
							pipeline.lagStart(), pipeline.lagEnd()),
					rate && pipeline.allDelivered() && !pipeline.lagGrowing()));
		}
		else {
			targets
				.add(new Target("Sustained 1,000 writes/s", "all delivered to all three, lag not growing", "-", null));
		}

		Optional<Scenario> drain = find.apply("drain");
		if (drain.isPresent()) {
			targets.add(new Target("Backlog drain", "≥ 5,000 events/s to all three subscribers",
					format("%.0f events/s (%d in %.1f s)%s", drain.get().throughput(), drain.get().operations(),
							drain.get().seconds(), drain.get().pipeline().allDelivered() ? "" : ", not all delivered"),
					drain.get().throughput() >= DRAIN_RATE && drain.get().pipeline().allDelivered()));
		}
		else {
			targets.add(new Target("Backlog drain", "≥ 5,000 events/s to all three subscribers", "-", null));
		}

		double daprd = peak(scenarios, (name) -> name.endsWith("-dapr"));
		double roles = peak(scenarios,
				(name) -> List.of("tasks", "analytics", "notifications", "audit").contains(name));
		if (daprd > 0) {
			targets.add(new Target("daprd RSS", "≤ 100 MB each", format("max %.0f MB", daprd), daprd <= DAPRD_RSS_MB));
		}
		if (roles > 0) {
			targets.add(new Target("Role RSS (heap capped at 256 MB)", "≤ 512 MB each", format("max %.0f MB", roles),
					roles <= ROLE_RSS_MB));
		}
		return targets;
	}

	private static double peak(List<Scenario> scenarios, java.util.function.Predicate<String> process) {
		double peak = 0;
		for (Scenario scenario : scenarios) {
			for (Map.Entry<String, ProcessUsage.Usage> usage : scenario.resources().entrySet()) {
				if (process.test(usage.getKey())) {
					peak = Math.max(peak, usage.getValue().peakRssMb());
				}
			}
		}
		return peak;
	}

	private static String format(String pattern, Object... args) {
		return String.format(Locale.ROOT, pattern, args);
	}

}
