package io.taskstream.tools.bench;

/**
 * What a measured phase returns; the resources are added around it.
 *
 * @param pipeline the full pipeline's view, or {@code null} for the other scenarios
 */
record Measured(double seconds, long operations, long failures, Latencies latency, Scenario.Pipeline pipeline) {

	static Measured of(OpenLoop.Outcome outcome) {
		return new Measured(outcome.seconds(), outcome.recorder().count(), outcome.recorder().failures(),
				outcome.recorder().latencies(), null);
	}

	static Measured of(Recorder recorder, double seconds) {
		return new Measured(seconds, recorder.count(), recorder.failures(), recorder.latencies(), null);
	}

	/** The same, with the pipeline's view added. */
	Measured with(Scenario.Pipeline pipeline) {
		return new Measured(this.seconds, this.operations, this.failures, this.latency, pipeline);
	}

}
