package io.taskstream.platform;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BackoffTests {

	private final Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2));

	@Test
	void theWaitDoublesPerFailureUpToTheMaximum() {
		assertThat(this.backoff.after(1)).isEqualTo(Duration.ofMillis(200));
		assertThat(this.backoff.after(2)).isEqualTo(Duration.ofMillis(400));
		assertThat(this.backoff.after(4)).isEqualTo(Duration.ofMillis(1600));
		assertThat(this.backoff.after(5)).isEqualTo(Duration.ofSeconds(2));
		assertThat(this.backoff.after(10_000)).isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void aJitteredWaitIsInTheUpperHalfOfTheWait() {
		for (int i = 0; i < 1_000; i++) {
			assertThat(this.backoff.jitteredAfter(3)).isBetween(Duration.ofMillis(400), Duration.ofMillis(800));
		}
	}

	@Test
	void aWaitOfZeroIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
	}

}
