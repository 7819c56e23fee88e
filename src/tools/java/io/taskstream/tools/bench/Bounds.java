package io.taskstream.tools.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * For every target a run missed, what bounds it, in that run's own numbers: the cores a
 * rate needs at the CPU per event each process spent, how busy the machine was, and where
 * along the path an event's time went. Issue 15 asks for it beside each missed target, so
 * that the next lever is read from the table, not guessed.
 */
final class Bounds {

	private static final Pattern CORES = Pattern.compile("^(\\d+) cores?");

	private Bounds() {
	}

	/** One line per missed target, in the targets' order. */
	static List<String> of(Results results) {
		int cores = cores(results.machine());
		List<String> lines = new ArrayList<>();
		for (Target target : results.targets()) {
			if (!Boolean.FALSE.equals(target.met())) {
				continue;
			}
			String bound = bound(target.name(), results, cores);
			if (bound != null) {
				lines.add("**" + target.name() + "**: " + bound);
			}
		}
		return lines;
	}

	private static String bound(String target, Results results, int cores) {
		if (target.startsWith("Pipeline at 200/s")) {
			return results.scenario("pipeline-200").map((step) -> busy(step, cores) + "; " + path(step)).orElse(null);
		}
		if (target.startsWith("Sustained")) {
			return results.scenario("pipeline-" + (int) Targets.SUSTAINED_RATE)
				.map((step) -> needs(step, Targets.SUSTAINED_RATE, "writes/s", cores) + "; the step made "
						+ format("%.0f", step.throughput()) + " writes/s, " + busy(step, cores))
				.orElse(null);
		}
		if (target.startsWith("Backlog drain")) {
			return results.scenario("drain")
				.map((drain) -> needs(drain, Targets.DRAIN_RATE, "events/s", cores) + relay(drain))
				.orElse(null);
		}
		if (target.startsWith("Dapr single publish")) {
			Optional<Scenario> raw = results.scenario("raw-sync-paced");
			Optional<Scenario> dapr = results.scenario("dapr-single-paced");
			if (raw.isEmpty() || dapr.isEmpty()) {
				return null;
			}
			return "queueing on a busy machine: the Dapr rounds kept it " + busy(dapr.get(), cores)
					+ ", the raw rounds " + busy(raw.get(), cores);
		}
		if (target.startsWith("Dapr bulk")) {
			Optional<Scenario> async = results.scenario("raw-async");
			Optional<Scenario> bulk = results.scenarios()
				.stream()
				.filter((scenario) -> scenario.id().startsWith("dapr-bulk"))
				.max(Comparator.comparingDouble(Scenario::throughput));
			if (async.isEmpty() || bulk.isEmpty() || !bulk.get().resources().containsKey("bench-dapr")) {
				return null;
			}
			double daprd = bulk.get().resources().get("bench-dapr").cpuSeconds() / bulk.get().seconds();
			double perEvent = daprd * 1e6 / bulk.get().throughput();
			double half = async.get().throughput() / 2;
			return format(
					"daprd's CPU: %.2f cores for %.0f events/s, %.0f µs per event; half of raw async "
							+ "(%.0f/s) would need %.1f µs per event from the %d cores",
					daprd, bulk.get().throughput(), perEvent, half, cores * 1e6 / half, cores);
		}
		if (target.startsWith("daprd RSS")) {
			return peaks(results, (name) -> name.endsWith("-dapr"));
		}
		if (target.startsWith("Role RSS")) {
			return peaks(results, (name) -> List.of("tasks", "analytics", "notifications", "audit").contains(name));
		}
		return null;
	}

	/**
	 * How busy the benchmark's processes kept the machine during a scenario. A pipeline
	 * step's CPU is counted until every subscriber had its events, so its time is the
	 * step's and the settling after it.
	 */
	static String busy(Scenario scenario, int cores) {
		boolean step = scenario.pipeline() != null && scenario.pipeline().targetRate() > 0;
		double seconds = scenario.seconds() + (step ? scenario.pipeline().settleSeconds() : 0);
		double cpu = scenario.resources()
			.entrySet()
			.stream()
			.filter((usage) -> !usage.getKey().equals(ProcessUsage.OTHERS))
			.mapToDouble((usage) -> usage.getValue().cpuSeconds())
			.sum();
		double others = Optional.ofNullable(scenario.resources().get(ProcessUsage.OTHERS))
			.map(ProcessUsage.Usage::cpuSeconds)
			.orElse(0.0);
		return format("%.0f%% busy (%.1f CPU s in %.1f s on %d cores, plus %.1f of other load)",
				100 * (cpu + others) / (seconds * cores), cpu, seconds, cores, others);
	}

	/**
	 * The cores a rate needs at the CPU per event of a scenario, in all and for the
	 * processes that need most.
	 */
	static String needs(Scenario scenario, double rate, String unit, int cores) {
		Map<String, Double> perEvent = CpuPerEvent.of(scenario);
		double total = perEvent.getOrDefault(CpuPerEvent.TOTAL, 0.0);
		String biggest = perEvent.entrySet()
			.stream()
			.filter((e) -> !e.getKey().equals(CpuPerEvent.TOTAL))
			.sorted(Map.Entry.<String, Double>comparingByValue().reversed())
			.limit(4)
			.map((e) -> format("%s %.2f ms = %.2f cores", e.getKey(), e.getValue(), e.getValue() * rate / 1000))
			.collect(Collectors.joining(", "));
		return format(
				"at %s's %.2f ms of CPU per event, %,.0f %s needs %.1f cores (%d here; %.2f ms per event "
						+ "would fit); the most: %s",
				scenario.id(), total, rate, unit, total * rate / 1000, cores, cores * 1000 / rate, biggest);
	}

	/**
	 * Where an event's time goes: from its commit to the relay's publish answered, and to
	 * the last subscriber's handler.
	 */
	static String path(Scenario step) {
		Map<String, Latencies> latencies = step.pipeline().commitToHandler();
		Latencies published = latencies.getOrDefault(BenchDatabase.PUBLISHED, Latencies.NONE);
		Latencies all = latencies.getOrDefault("all", Latencies.NONE);
		String tail = format("commit → all three p50 %s, p99 %s ms", Report.ms(all.p50()), Report.ms(all.p99()));
		if (published.count() == 0) {
			return tail;
		}
		return format("commit → published (the relay and its sidecar) p50 %s, p99 %s ms; ", Report.ms(published.p50()),
				Report.ms(published.p99())) + tail;
	}

	private static String relay(Scenario drain) {
		double published = (drain.pipeline() != null) ? drain.pipeline().publishedSeconds() : 0;
		if (published <= 0) {
			return "";
		}
		return format("; the relay published all %d in %.1f s (%.0f events/s), the rest is delivery",
				drain.pipeline().events(), published, drain.pipeline().events() / published);
	}

	private static String peaks(Results results, java.util.function.Predicate<String> process) {
		return results.scenarios()
			.stream()
			.flatMap((scenario) -> scenario.resources()
				.entrySet()
				.stream()
				.filter((usage) -> process.test(usage.getKey()))
				.map((usage) -> Map.entry(usage.getKey() + " in " + scenario.id(), usage.getValue().peakRssMb())))
			.sorted(Map.Entry.<String, Double>comparingByValue().reversed())
			.limit(3)
			.map((peak) -> format("%s %.0f MB", peak.getKey(), peak.getValue()))
			.collect(Collectors.joining(", ", "the highest peaks: ", ""));
	}

	/** The cores of the machine a run describes ("2 cores (…), 24 GiB"); 1 if unknown. */
	static int cores(String machine) {
		Matcher matcher = CORES.matcher((machine != null) ? machine : "");
		return matcher.find() ? Integer.parseInt(matcher.group(1)) : 1;
	}

	private static String format(String pattern, Object... args) {
		return String.format(Locale.ROOT, pattern, args);
	}

}
