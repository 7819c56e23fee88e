package io.taskstream.tools.bench;

import java.util.Map;

/**
 * What one scenario measured.
 *
 * @param id stable name, e.g. {@code raw-sync} or {@code pipeline-200}
 * @param title what ran, for the table
 * @param seconds how long the measured part took
 * @param operations calls that succeeded (records, publishes, events, task writes)
 * @param failures calls that failed
 * @param throughput operations per second
 * @param latency per call, in ms
 * @param pipeline the full pipeline's numbers, for pipeline steps and the drain
 * @param resources CPU seconds and peak RSS per process during the scenario
 */
record Scenario(String id, String title, double seconds, long operations, long failures, double throughput,
		Latencies latency, Pipeline pipeline, Map<String, ProcessUsage.Usage> resources) {

	/**
	 * The full pipeline's side of a step or of the drain.
	 *
	 * @param targetRate task writes per second asked for (0 for the drain)
	 * @param missed writes not made because too many were in flight
	 * @param events events the step committed
	 * @param delivered per subscriber, how many of them it handled
	 * @param commitToHandler per subscriber, and {@code all} (the last of the three), ms
	 * from the event's commit to the handler; {@code published}: to the relay's publish
	 * answered
	 * @param lagStart events written but not yet handled by the slowest subscriber, a
	 * third into the step
	 * @param lagEnd the same at the end of the step
	 * @param settleSeconds how long after the step until every subscriber had every event
	 * (or the wait gave up)
	 * @param publishedSeconds for the drain, how long the relay took to publish every
	 * event (0 if not measured)
	 */
	record Pipeline(double targetRate, long missed, long events, Map<String, Long> delivered,
			Map<String, Latencies> commitToHandler, long lagStart, long lagEnd, double settleSeconds,
			double publishedSeconds) {

		Pipeline(double targetRate, long missed, long events, Map<String, Long> delivered,
				Map<String, Latencies> commitToHandler, long lagStart, long lagEnd, double settleSeconds) {
			this(targetRate, missed, events, delivered, commitToHandler, lagStart, lagEnd, settleSeconds, 0);
		}

		boolean allDelivered() {
			return this.delivered.values().stream().allMatch((count) -> count >= this.events);
		}

		/**
		 * Lag grew by more than 2% of the step's events (at least 50) over its last two
		 * thirds.
		 */
		boolean lagGrowing() {
			return this.lagEnd - this.lagStart > Math.max(50, this.events / 50);
		}

	}

}
