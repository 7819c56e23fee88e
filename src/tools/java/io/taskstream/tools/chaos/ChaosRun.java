package io.taskstream.tools.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.taskstream.tools.stack.LocalStack;
import io.taskstream.tools.stack.StackPorts;

/**
 * What a scenario works with while it runs: the stack, its databases, the load, and where
 * it records what happened, what it measured and why it failed.
 */
public final class ChaosRun {

	private final LocalStack stack;

	private final ChaosDatabase database;

	private final ChaosLoad load;

	private final Map<String, Object> measured = new LinkedHashMap<>();

	private final List<String> happened = new ArrayList<>();

	private final List<String> failures = new ArrayList<>();

	ChaosRun(LocalStack stack, ChaosDatabase database, ChaosLoad load) {
		this.stack = stack;
		this.database = database;
		this.load = load;
	}

	public LocalStack stack() {
		return this.stack;
	}

	public StackPorts ports() {
		return this.stack.ports();
	}

	public ChaosDatabase database() {
		return this.database;
	}

	/** The write load, for what its answers showed. */
	ChaosLoad load() {
		return this.load;
	}

	/** Seconds since the load started. */
	public double loadSeconds() {
		return this.load.seconds();
	}

	/** Prints a progress line. */
	public void progress(String message) {
		Chaos.progress(message);
	}

	/** Records (and prints) a step of the fault, for the table's "what happened". */
	public void happened(String step) {
		this.happened.add(step);
		progress(String.format("%5.1f s  %s", this.load.seconds(), step));
	}

	/** Records a measured value; seconds are rounded to 0.1 s. */
	public void measure(String name, double value) {
		this.measured.put(name, Double.isNaN(value) ? "none" : ChaosDatabase.round(value));
		progress("  " + name + ": " + this.measured.get(name));
	}

	public void measure(String name, Object value) {
		this.measured.put(name, value);
		progress("  " + name + ": " + value);
	}

	/** A reason of the scenario's own for the verdict to fail. */
	public void fail(String reason) {
		this.failures.add(reason);
		progress("  FAILED: " + reason);
	}

	/**
	 * Waits, polling every 200 ms, until {@code condition} holds; failed checks (e.g. a
	 * broker that does not answer) count as not yet.
	 * @return the seconds it took, or NaN (and a failure) if it did not hold within
	 * {@code limit}
	 */
	public double await(String what, Duration limit, Callable<Boolean> condition) throws InterruptedException {
		long started = System.nanoTime();
		long deadline = started + limit.toNanos();
		while (System.nanoTime() < deadline) {
			try {
				if (Boolean.TRUE.equals(condition.call())) {
					return (System.nanoTime() - started) / 1e9;
				}
			}
			catch (Exception ex) {
				// not yet: the part under test may be the one that fails to answer
			}
			Thread.sleep(200);
		}
		fail(what + " did not happen within " + limit.toSeconds() + " s");
		return Double.NaN;
	}

	/** Lets the load run on for a while. */
	public void pause(Duration duration) throws InterruptedException {
		Thread.sleep(duration.toMillis());
	}

	/** The moment, for the database's timings (one clock: this machine's). */
	public Instant now() {
		return Instant.now();
	}

	Map<String, Object> measured() {
		return this.measured;
	}

	List<String> happened() {
		return this.happened;
	}

	List<String> failures() {
		return this.failures;
	}

}
