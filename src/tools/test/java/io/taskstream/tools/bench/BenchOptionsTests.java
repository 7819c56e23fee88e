package io.taskstream.tools.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BenchOptionsTests {

	@Test
	void noOptionsIsAFullFreshRunWithTracing() {
		assertThat(BenchOptions.parse()).isEqualTo(new BenchOptions(false, false, false, false, "unknown", ""));
		assertThat(BenchOptions.parse().seconds(20)).isEqualTo(20);
	}

	@Test
	void everyOptionIsRead() {
		BenchOptions options = BenchOptions.parse("--quick", "--reuse", "--keep", "--no-tracing", "--sha", "abc123",
				"--load", "a build in parallel");
		assertThat(options).isEqualTo(new BenchOptions(true, true, true, true, "abc123", "a build in parallel"));
		// a smoke run measures a few seconds per phase
		assertThat(options.seconds(20)).isEqualTo(4);
		assertThat(options.seconds(2)).isEqualTo(2);
	}

	@Test
	void anUnknownOptionOrAMissingValueIsRefusedByName() {
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--fast"))
			.withMessage("unknown option --fast");
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--load"))
			.withMessage("--load needs a value");
	}

}
