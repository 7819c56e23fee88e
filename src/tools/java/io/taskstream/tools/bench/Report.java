package io.taskstream.tools.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Writes a run as JSON (everything) and as Markdown tables (what a reader compares). */
final class Report {

	/**
	 * Reads older result files too: a number they do not have yet (e.g. the drain's
	 * {@code publishedSeconds}) is 0.
	 */
	private static final JsonMapper json = JsonMapper.builder()
		.enable(SerializationFeature.INDENT_OUTPUT)
		.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.build();

	private Report() {
	}

	static String json(Results results) {
		return json.writeValueAsString(results);
	}

	static Results fromJson(String text) {
		return json.readValue(text, Results.class);
	}

	static String markdown(Results results) {
		return markdown(results, null);
	}

	/**
	 * The tables; with {@code before}, also the CPU per event of each process then and
	 * now ({@link CpuPerEvent}), and for every missed target what bounds it
	 * ({@link Bounds}).
	 * @param before an earlier run to compare with, or {@code null}
	 */
	static String markdown(Results results, Results before) {
		StringBuilder md = new StringBuilder();
		md.append(format("Run of %s, commit %s, on %s; %s%s. Whole run %.0f s.%n", results.date(), results.gitSha(),
				results.machine(), results.variant(), results.quick() ? ", **quick smoke run**" : "",
				results.runSeconds()));
		if (results.load() != null && !results.load().isBlank()) {
			md.append(format("Other load during the run: %s.%n", results.load()));
		}
		md.append("\n| scenario | what | ops | ops/s | p50 | p90 | p99 | p99.9 | max (ms) |\n");
		md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
		for (Scenario scenario : results.scenarios()) {
			Latencies l = scenario.latency();
			md.append(format("| %s | %s | %d%s | %.0f | %s | %s | %s | %s | %s |%n", scenario.id(), scenario.title(),
					scenario.operations(), (scenario.failures() > 0) ? " (" + scenario.failures() + " failed)" : "",
					scenario.throughput(), ms(l.p50()), ms(l.p90()), ms(l.p99()), ms(l.p999()), ms(l.max())));
		}
		List<Scenario> pipeline = results.scenarios().stream().filter((s) -> s.pipeline() != null).toList();
		if (!pipeline.isEmpty()) {
			md.append("\nFull pipeline: API latency is the client's, from when each write was due; commit → handler "
					+ "is per event (ms), to the relay's publish answered (\"published\"), to each subscriber and to the "
					+ "last of the three (\"all\").\n\n");
			md.append(
					"| step | asked/s | writes/s | missed | API p50 / p99 | published p50 / p99 | analytics p50 / p99 "
							+ "| notifications p50 / p99 | audit p50 / p99 | all p50 / p99 / p99.9 / max | delivered | lag (third → end) "
							+ "| settled after |\n");
			md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|\n");
			for (Scenario scenario : pipeline) {
				Scenario.Pipeline p = scenario.pipeline();
				Latencies all = p.commitToHandler().getOrDefault("all", Latencies.NONE);
				md.append(format(
						"| %s | %.0f | %.0f | %d | %s / %s | %s | %s | %s | %s | %s / %s / %s / %s | %s | %d → %d%s | %.1f s |%n",
						scenario.id(), p.targetRate(), scenario.throughput(), p.missed(), ms(scenario.latency().p50()),
						ms(scenario.latency().p99()), pair(p, BenchDatabase.PUBLISHED), pair(p, "analytics"),
						pair(p, "notifications"), pair(p, "audit"), ms(all.p50()), ms(all.p99()), ms(all.p999()),
						ms(all.max()), p.allDelivered() ? "all " + p.events() : p.delivered() + " of " + p.events(),
						p.lagStart(), p.lagEnd(), p.lagGrowing() ? " growing" : "", p.settleSeconds()));
			}
		}
		md.append("\n| target | goal | measured | verdict |\n|---|---|---|---|\n");
		for (Target target : results.targets()) {
			md.append(format("| %s | %s | %s | **%s** |%n", target.name(), target.goal(), target.measured(),
					target.verdict()));
		}
		List<String> bounds = Bounds.of(results);
		if (!bounds.isEmpty()) {
			md.append("\nWhat bounds each missed target, in this run's numbers:\n\n");
			bounds.forEach((bound) -> md.append("- ").append(bound).append('\n'));
		}
		String comparison = (before != null) ? CpuPerEvent.comparison(before, results) : "";
		if (!comparison.isEmpty()) {
			md.append(format(
					"%nCPU ms per event (one task write, delivered to all three subscribers) of each process, "
							+ "before (run of %s, commit %s) → after (this run); \"others\" left out:%n%n",
					before.date(), before.gitSha()));
			md.append(comparison);
		}
		Set<String> processes = new LinkedHashSet<>();
		results.scenarios().forEach((scenario) -> processes.addAll(scenario.resources().keySet()));
		if (processes.remove(ProcessUsage.OTHERS)) {
			processes.add(ProcessUsage.OTHERS);
		}
		if (!processes.isEmpty()) {
			md.append("\nCPU seconds per process during each scenario (a core busy for a second is 1 CPU s; "
					+ "\"others\" is every process not in this benchmark, i.e. other load on the machine), "
					+ "and the scenario's peak RSS in MB:\n\n");
			md.append(resourceTable(results.scenarios(), new ArrayList<>(processes), true));
			md.append('\n');
			md.append(resourceTable(results.scenarios(), new ArrayList<>(processes), false));
			md.append(jitTable(results.scenarios(), new ArrayList<>(processes)));
		}
		if (!results.notes().isEmpty()) {
			md.append('\n');
			results.notes().forEach((note) -> md.append("- ").append(note).append('\n'));
		}
		return md.toString();
	}

	private static String resourceTable(List<Scenario> scenarios, List<String> all, boolean cpu) {
		List<String> processes = cpu ? all : all.stream().filter((p) -> !p.equals(ProcessUsage.OTHERS)).toList();
		StringBuilder md = new StringBuilder("| " + (cpu ? "CPU s" : "peak MB") + " |");
		processes.forEach((process) -> md.append(' ').append(process).append(" |"));
		if (cpu) {
			md.append(" total (this benchmark) | CPU ms per op |");
		}
		md.append('\n').append("|---|");
		processes.forEach((process) -> md.append("---:|"));
		md.append(cpu ? "---:|---:|\n" : "\n");
		for (Scenario scenario : scenarios) {
			md.append("| ").append(scenario.id()).append(" |");
			double total = 0;
			for (String process : processes) {
				ProcessUsage.Usage usage = scenario.resources().get(process);
				if (usage == null) {
					md.append(" - |");
					continue;
				}
				double value = cpu ? usage.cpuSeconds() : usage.peakRssMb();
				if (!process.equals(ProcessUsage.OTHERS)) {
					total += value;
				}
				md.append(format(cpu ? " %.1f |" : " %.0f |", value));
			}
			if (cpu && scenario.resources().isEmpty()) {
				md.append(" - | - |");
			}
			else if (cpu) {
				md.append(format(" %.1f | %s |", total,
						(scenario.operations() > 0) ? format("%.2f", total * 1000 / scenario.operations()) : "-"));
			}
			md.append('\n');
		}
		return md.toString();
	}

	/** Of each JVM's CPU, what its JIT compiler used: a sign it was not warm yet. */
	private static String jitTable(List<Scenario> scenarios, List<String> all) {
		List<String> jvms = all.stream()
			.filter((process) -> scenarios.stream()
				.anyMatch((s) -> s.resources().containsKey(process) && s.resources().get(process).jitSeconds() > 0))
			.toList();
		if (jvms.isEmpty()) {
			return "";
		}
		StringBuilder md = new StringBuilder("\nOf that CPU, the JIT compiler threads' (CPU s):\n\n| JIT CPU s |");
		jvms.forEach((jvm) -> md.append(' ').append(jvm).append(" |"));
		md.append("\n|---|");
		jvms.forEach((jvm) -> md.append("---:|"));
		md.append('\n');
		for (Scenario scenario : scenarios) {
			md.append("| ").append(scenario.id()).append(" |");
			for (String jvm : jvms) {
				ProcessUsage.Usage usage = scenario.resources().get(jvm);
				md.append((usage == null) ? " - |" : format(" %.1f |", usage.jitSeconds()));
			}
			md.append('\n');
		}
		return md.toString();
	}

	private static String pair(Scenario.Pipeline pipeline, String subscriber) {
		Latencies latencies = pipeline.commitToHandler().get(subscriber);
		return (latencies == null) ? "-" : ms(latencies.p50()) + " / " + ms(latencies.p99());
	}

	/** Milliseconds with the precision that matters at their size. */
	static String ms(double millis) {
		if (millis == 0) {
			return "-";
		}
		return (millis < 10) ? format("%.2f", millis)
				: (millis < 100) ? format("%.1f", millis) : format("%.0f", millis);
	}

	private static String format(String pattern, Object... args) {
		return String.format(Locale.ROOT, pattern, args);
	}

}
