package io.taskstream.platform;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class WorkerTests {

	@Test
	void aWakeEndsTheSleepTheStepAskedFor() {
		AtomicInteger rounds = new AtomicInteger();
		Worker worker = new Worker("test-wake", () -> {
			rounds.incrementAndGet();
			return Duration.ofHours(1);
		}, Backoff.fixed(Duration.ofHours(1)));
		worker.start();
		try {
			await().until(() -> rounds.get() == 1);
			worker.wake();
			await().atMost(Duration.ofSeconds(5)).until(() -> rounds.get() == 2);
		}
		finally {
			worker.stop();
		}
		assertThat(worker.isRunning()).isFalse();
	}

	@Test
	void aWakeDuringAStepIsNotLost() {
		AtomicInteger rounds = new AtomicInteger();
		Worker[] self = new Worker[1];
		self[0] = new Worker("test-wake-during-step", () -> {
			if (rounds.incrementAndGet() == 1) {
				self[0].wake();
			}
			return Duration.ofHours(1);
		}, Backoff.fixed(Duration.ofHours(1)));
		self[0].start();
		try {
			await().atMost(Duration.ofSeconds(5)).until(() -> rounds.get() == 2);
		}
		finally {
			self[0].stop();
		}
	}

	@Test
	void aFailingStepIsRunAgainAfterTheBackoffAndRecovers() {
		AtomicInteger rounds = new AtomicInteger();
		Worker worker = new Worker("test-failure", () -> {
			if (rounds.incrementAndGet() <= 3) {
				throw new IllegalStateException("injected");
			}
			return Duration.ofHours(1);
		}, new Backoff(Duration.ofMillis(10), Duration.ofMillis(40)));
		worker.start();
		try {
			await().atMost(Duration.ofSeconds(5)).until(() -> rounds.get() == 4);
		}
		finally {
			worker.stop();
		}
	}

	@Test
	void stopEndsTheThreadAndNoRoundFollows() {
		AtomicInteger rounds = new AtomicInteger();
		Worker worker = new Worker("test-stop", () -> {
			rounds.incrementAndGet();
			return Duration.ZERO;
		}, Backoff.fixed(Duration.ofMillis(10)));
		worker.start();
		await().until(() -> rounds.get() > 10);
		worker.stop();
		int after = rounds.get();
		worker.wake();
		await().during(Duration.ofMillis(200)).until(() -> rounds.get() == after);
	}

}
