package io.taskstream.tools.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LatenciesTests {

	@Test
	void percentilesAreTheNearestRankOfTheSamples() {
		double[] samples = new double[1000];
		for (int i = 0; i < samples.length; i++) {
			samples[samples.length - 1 - i] = i + 1;
		}
		Latencies latencies = Latencies.ofMillis(samples);
		assertThat(latencies.count()).isEqualTo(1000);
		assertThat(latencies.p50()).isEqualTo(500);
		assertThat(latencies.p90()).isEqualTo(900);
		assertThat(latencies.p99()).isEqualTo(990);
		assertThat(latencies.p999()).isEqualTo(999);
		assertThat(latencies.max()).isEqualTo(1000);
		assertThat(latencies.mean()).isEqualTo(500.5);
	}

	@Test
	void aSmallSampleReportsItsLargestValueForHighPercentiles() {
		Latencies latencies = Latencies.ofMillis(new double[] { 3, 1, 2 });
		assertThat(latencies.p50()).isEqualTo(2);
		assertThat(latencies.p99()).isEqualTo(3);
		assertThat(latencies.p999()).isEqualTo(3);
	}

	@Test
	void nanosecondsBecomeMilliseconds() {
		assertThat(Latencies.ofNanos(new long[] { 1_500_000 }).p50()).isEqualTo(1.5);
	}

	@Test
	void noSamplesGiveAnEmptyDistribution() {
		assertThat(Latencies.ofMillis(new double[0])).isEqualTo(Latencies.NONE);
		assertThatIllegalArgumentException().isThrownBy(() -> Latencies.percentile(new double[0], 50));
	}

	@Test
	void theRecorderKeepsSamplesUpToItsCapacityButCountsAll() {
		Recorder recorder = new Recorder(2);
		recorder.record(1_000_000);
		recorder.record(2_000_000);
		recorder.record(3_000_000);
		recorder.failed();
		assertThat(recorder.count()).isEqualTo(3);
		assertThat(recorder.failures()).isEqualTo(1);
		assertThat(recorder.latencies().count()).isEqualTo(2);
	}

}
