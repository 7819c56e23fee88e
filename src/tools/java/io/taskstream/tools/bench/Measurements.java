package io.taskstream.tools.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the measured phases one after the other on a quiet stack, with each process's CPU
 * and memory around them, and keeps the scenarios and notes for the results.
 */
final class Measurements {

	/**
	 * Below this many cores busy (the stack, not the load generator), the stack is quiet.
	 */
	static final double QUIET_CORES = 0.3;

	static final String LOAD_GENERATOR = "load generator";

	private final ProcessUsage usage;

	private final List<Scenario> scenarios = new ArrayList<>();

	private final List<String> notes = new ArrayList<>();

	/** Per scenario, how long the stack took to go quiet before it. */
	private final Map<String, Double> quiesced = new LinkedHashMap<>();

	Measurements(ProcessUsage usage) {
		this.usage = usage;
	}

	/** A measured phase. */
	interface Phase {

		Measured run() throws Exception;

	}

	ProcessUsage usage() {
		return this.usage;
	}

	List<Scenario> scenarios() {
		return List.copyOf(this.scenarios);
	}

	void note(String note) {
		this.notes.add(note);
	}

	/** The notes, ending with how long each scenario waited for a quiet stack. */
	List<String> notes() {
		List<String> notes = new ArrayList<>(this.notes);
		notes.add("Before each scenario the run waited for the stack to go quiet (under " + QUIET_CORES
				+ " cores busy for a second, at most 60 s); waits in s: " + this.quiesced + ".");
		return List.copyOf(notes);
	}

	Scenario measure(String id, String title, Phase phase) throws Exception {
		Benchmark.progress(id + ": " + title);
		quiesce(id);
		this.usage.start();
		Measured measured = phase.run();
		return record(id, title, measured, this.usage.stop());
	}

	/**
	 * Waits (at most a minute) until the stack is nearly idle, so a scenario does not pay
	 * for the last one's leftovers: Zipkin indexing its spans, Kafka flushing, GC.
	 */
	void quiesce(String id) throws InterruptedException {
		long started = System.nanoTime();
		double before = this.usage.cpuSecondsExcept(LOAD_GENERATOR);
		while (System.nanoTime() - started < 60_000_000_000L) {
			Thread.sleep(1000);
			double now = this.usage.cpuSecondsExcept(LOAD_GENERATOR);
			if (now - before < QUIET_CORES) {
				break;
			}
			before = now;
		}
		double waited = (System.nanoTime() - started) / 1e9;
		this.quiesced.put(id, round(waited));
		if (waited > 5) {
			Benchmark.progress(String.format(Locale.ROOT, "  waited %.0f s for the stack to go quiet", waited));
		}
	}

	Scenario record(String id, String title, Measured measured, Map<String, ProcessUsage.Usage> resources) {
		double throughput = (measured.seconds() > 0) ? measured.operations() / measured.seconds() : 0;
		Scenario scenario = new Scenario(id, title, round(measured.seconds()), measured.operations(),
				measured.failures(), round(throughput), measured.latency(), measured.pipeline(), resources);
		this.scenarios.add(scenario);
		Latencies l = scenario.latency();
		Benchmark.progress(String.format(Locale.ROOT,
				"  %s: %d ops in %.1f s = %.0f/s; p50 %s p99 %s p99.9 %s max %s ms%s", id, scenario.operations(),
				scenario.seconds(), scenario.throughput(), Report.ms(l.p50()), Report.ms(l.p99()), Report.ms(l.p999()),
				Report.ms(l.max()), (scenario.failures() > 0) ? "; " + scenario.failures() + " FAILED" : ""));
		return scenario;
	}

	/** Adds one round's usage to a sum: CPU adds up, the peak memory is the larger. */
	static void add(Map<String, ProcessUsage.Usage> sum, Map<String, ProcessUsage.Usage> more) {
		more.forEach((name, usage) -> sum.merge(name, usage,
				(a, b) -> new ProcessUsage.Usage(round(a.cpuSeconds() + b.cpuSeconds()),
						Math.max(a.peakRssMb(), b.peakRssMb()))));
	}

	static double round(double value) {
		return Math.round(value * 100) / 100.0;
	}

}
