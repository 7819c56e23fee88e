package io.taskstream.tools.bench;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessUsageTests {

	@Test
	void cpuTicksAreUserPlusSystemTimeEvenWhenTheNameHasSpaces() {
		String stat = "4242 (Web Content) S 1 4242 4242 0 -1 4194560 500 0 0 0 123 45 0 0 20 0 30 0 100 0 0";
		assertThat(ProcessUsage.cpuTicks(stat)).isEqualTo(168);
	}

	@Test
	void statusValuesAreReadInKilobytes() {
		String status = "Name:\tdaprd\nVmPeak:\t  900000 kB\nVmHWM:\t   98304 kB\nVmRSS:\t   90000 kB\n";
		assertThat(ProcessUsage.statusKb(status, "VmHWM:")).isEqualTo(98304);
		assertThat(ProcessUsage.statusKb(status, "VmSwap:")).isZero();
	}

	@Test
	void theMachinesBusyTimeLeavesOutIdleIowaitAndSteal() {
		String stat = "cpu  100 2 30 5000 70 1 4 9 0 0\ncpu0 50 1 15 2500 35 0 2 4 0 0\n";
		assertThat(ProcessUsage.busyTicks(stat)).isEqualTo(137);
	}

	@Test
	void aJvmsJitCompilerThreadsAreFound() {
		assertThat(ProcessUsage.jitSeconds(ProcessHandle.current().pid())).isGreaterThan(0);
		assertThat(ProcessUsage.jitSeconds(Long.MAX_VALUE)).isZero();
	}

	@Test
	void thisProcessHasCpuTimeAndAPeak() {
		ProcessUsage usage = new ProcessUsage(Map.of("me", ProcessHandle.current().pid()), Set.of("me"));
		usage.start();
		Map<String, ProcessUsage.Usage> used = usage.stop();
		assertThat(used.get("me").peakRssMb()).isPositive();
		assertThat(used.get("me").cpuSeconds()).isGreaterThanOrEqualTo(0);
	}

}
