package io.taskstream.tools.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The CPU each process spends per event in the full pipeline's steps and in the drain,
 * and how that changed from an earlier run (issue 15: "the CPU per event of each process
 * before and after"). An event is one task write: one outbox row, delivered to all three
 * subscribers. Other load on the machine ({@value ProcessUsage#OTHERS}) is left out.
 */
final class CpuPerEvent {

	/** The name of the sum over the benchmark's processes. */
	static final String TOTAL = "total";

	private CpuPerEvent() {
	}

	/**
	 * CPU ms per event of each process, and {@value #TOTAL}; empty for a scenario that is
	 * not a pipeline step or the drain, or that has no events or no CPU figures.
	 */
	static Map<String, Double> of(Scenario scenario) {
		Map<String, Double> perEvent = new LinkedHashMap<>();
		if (scenario.pipeline() == null || scenario.resources().isEmpty()) {
			return perEvent;
		}
		long events = (scenario.pipeline().events() > 0) ? scenario.pipeline().events() : scenario.operations();
		if (events <= 0) {
			return perEvent;
		}
		double total = 0;
		for (Map.Entry<String, ProcessUsage.Usage> usage : scenario.resources().entrySet()) {
			if (usage.getKey().equals(ProcessUsage.OTHERS)) {
				continue;
			}
			double ms = usage.getValue().cpuSeconds() * 1000 / events;
			perEvent.put(usage.getKey(), ms);
			total += ms;
		}
		perEvent.put(TOTAL, total);
		return perEvent;
	}

	/**
	 * Cores a process would keep busy at {@code eventsPerSecond}, from its CPU per event
	 * in a scenario.
	 */
	static double coresAt(Scenario scenario, String process, double eventsPerSecond) {
		return of(scenario).getOrDefault(process, 0.0) * eventsPerSecond / 1000;
	}

	/**
	 * A Markdown table, a row per process and a column per scenario that both runs have:
	 * CPU ms per event before → after. Empty if they share no such scenario.
	 */
	static String comparison(Results before, Results after) {
		List<String> ids = new ArrayList<>();
		for (Scenario scenario : after.scenarios()) {
			Optional<Scenario> earlier = before.scenario(scenario.id());
			if (!of(scenario).isEmpty() && earlier.isPresent() && !of(earlier.get()).isEmpty()) {
				ids.add(scenario.id());
			}
		}
		if (ids.isEmpty()) {
			return "";
		}
		Set<String> processes = new LinkedHashSet<>();
		for (String id : ids) {
			processes.addAll(of(before.scenario(id).get()).keySet());
			processes.addAll(of(after.scenario(id).get()).keySet());
		}
		// the total last
		processes.remove(TOTAL);
		processes.add(TOTAL);
		StringBuilder md = new StringBuilder("| CPU ms per event |");
		ids.forEach((id) -> md.append(' ').append(id).append(" |"));
		md.append("\n|---|");
		ids.forEach((id) -> md.append("---:|"));
		md.append('\n');
		for (String process : processes) {
			md.append("| ").append(TOTAL.equals(process) ? "**total**" : process).append(" |");
			for (String id : ids) {
				Double was = of(before.scenario(id).get()).get(process);
				Double is = of(after.scenario(id).get()).get(process);
				md.append(' ').append(cell(was)).append(" → ").append(cell(is)).append(" |");
			}
			md.append('\n');
		}
		return md.toString();
	}

	private static String cell(Double ms) {
		if (ms == null) {
			return "-";
		}
		return String.format(Locale.ROOT, (ms < 0.1) ? "%.3f" : "%.2f", ms);
	}

}
