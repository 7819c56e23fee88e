package io.taskstream.tools.bench;

import java.util.Arrays;

/**
 * A latency distribution in milliseconds. Percentiles are nearest-rank: the value below
 * which at least that share of the samples lie, always a measured sample.
 */
record Latencies(long count, double mean, double p50, double p90, double p99, double p999, double max) {

	static final Latencies NONE = new Latencies(0, 0, 0, 0, 0, 0, 0);

	static Latencies ofNanos(long[] nanos) {
		double[] millis = new double[nanos.length];
		for (int i = 0; i < nanos.length; i++) {
			millis[i] = nanos[i] / 1e6;
		}
		return ofMillis(millis);
	}

	static Latencies ofMillis(double[] samples) {
		if (samples.length == 0) {
			return NONE;
		}
		double[] sorted = samples.clone();
		Arrays.sort(sorted);
		double sum = 0;
		for (double sample : sorted) {
			sum += sample;
		}
		return new Latencies(sorted.length, sum / sorted.length, percentile(sorted, 50), percentile(sorted, 90),
				percentile(sorted, 99), percentile(sorted, 99.9), sorted[sorted.length - 1]);
	}

	/** Nearest rank of an ascending array: the ceil(p/100 * n)-th smallest sample. */
	static double percentile(double[] sorted, double p) {
		if (sorted.length == 0) {
			throw new IllegalArgumentException("no samples");
		}
		// less a hair: 99.9 / 100 * 1000 is 999.0000000000001 in floating point
		int rank = (int) Math.ceil(p / 100.0 * sorted.length - 1e-9);
		return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
	}

}
