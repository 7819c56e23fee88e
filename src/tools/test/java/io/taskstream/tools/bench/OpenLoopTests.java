package io.taskstream.tools.bench;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OpenLoopTests {

	@Test
	void callsAreDueAtEvenIntervalsOfTheRate() {
		OpenLoop loop = new OpenLoop(200, 8);
		assertThat(loop.dueNanos(0)).isZero();
		assertThat(loop.dueNanos(1)).isEqualTo(5_000_000);
		assertThat(loop.dueNanos(200)).isEqualTo(1_000_000_000);
		assertThat(loop.callsIn(2.5)).isEqualTo(500);
	}

	@Test
	void aRunMakesEveryCallThatFallsDue() throws InterruptedException {
		AtomicLong calls = new AtomicLong();
		// room for every call at once: on a busy machine the workers may not be scheduled
		// for a while, and a call beyond the in-flight limit is (rightly) missed
		OpenLoop.Outcome outcome = new OpenLoop(400, 100).run(0.25, (i) -> calls.incrementAndGet());
		assertThat(calls.get()).isEqualTo(100);
		assertThat(outcome.due()).isEqualTo(100);
		assertThat(outcome.missed()).isZero();
		assertThat(outcome.recorder().count()).isEqualTo(100);
		assertThat(outcome.seconds()).isGreaterThanOrEqualTo(0.24);
	}

	@Test
	void callsBeyondTheInFlightLimitAreMissedNotQueued() throws InterruptedException {
		// calls of 20 ms due every 10 ms with room for one at a time: about every other
		// call finds the last one still running
		OpenLoop.Outcome outcome = new OpenLoop(100, 1).run(0.2, (i) -> Thread.sleep(20));
		assertThat(outcome.missed()).isBetween(5L, 15L);
		assertThat(outcome.recorder().count() + outcome.missed()).isEqualTo(20);
		assertThat(outcome.recorder().latencies().p50()).isGreaterThanOrEqualTo(19);
	}

	@Test
	void failedCallsAreCountedNotTimed() throws InterruptedException {
		// room for all ten at once on a busy machine
		OpenLoop.Outcome outcome = new OpenLoop(1000, 10).run(0.01, (i) -> {
			throw new IllegalStateException("down");
		});
		assertThat(outcome.recorder().failures()).isEqualTo(10);
		assertThat(outcome.recorder().count()).isZero();
		assertThat(outcome.achievedRate()).isZero();
	}

	@Test
	void theRateMustBePositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> new OpenLoop(0, 1));
	}

}
