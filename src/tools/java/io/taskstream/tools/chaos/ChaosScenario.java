package io.taskstream.tools.chaos;

import java.util.Map;
import java.util.Set;

/**
 * One reliability scenario of {@code scripts/chaos}. The runner ({@link Chaos}) gives it
 * a fresh stack of the shape it asks for, with the load already running for a while;
 * {@link #inject} injects the fault, waits for the recovery it expects and records what
 * it measured ({@link ChaosRun#measure}); the runner then lets the load run a little
 * longer, stops it, waits for delivery to settle and computes the {@link Verdict}.
 *
 * <p>
 * To add one: implement this interface in this package and add an instance to
 * {@link Scenarios#ALL}. Nothing else changes: {@code scripts/chaos <name>}, its
 * {@code --help}, {@code scripts/chaos all} and the table in {@code docs/reliability.md}
 * pick it up.
 */
public interface ChaosScenario {

	/** Its name on the command line and in the table, e.g. {@code leader-kill}. */
	String name();

	/** One line: the fault, for {@code --help} and the table's first column. */
	String summary();

	/**
	 * What the scenario needs ready before the load starts (e.g. many users' tokens), so
	 * that its cost does not fall on the load; nothing by default.
	 */
	default void prepare(ChaosRun run) throws Exception {
	}

	/** The fault and what it shows. */
	void inject(ChaosRun run) throws Exception;

	/** 1, or 3 for a Kafka cluster ({@code scripts/stack up --kafka-nodes 3}). */
	default int kafkaNodes() {
		return 1;
	}

	/** Set for every app of its stack, beside the stack's own settings. */
	default Map<String, String> environment() {
		return Map.of();
	}

	/**
	 * The non-2xx statuses this fault may cause without failing the verdict, e.g. 503
	 * while PostgreSQL is down; none by default: every call must succeed.
	 */
	default Set<Integer> toleratedStatuses() {
		return Set.of();
	}

	/** The load's writes per second (spread over {@link #users()} users). */
	default double writesPerSecond() {
		return 60;
	}

	default int users() {
		return 20;
	}

}
