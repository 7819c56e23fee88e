package io.taskstream.tools.chaos;

import java.nio.file.Path;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reliability scenario that fits the build's time:
 * {@code scripts/chaos broker-freeze} through the same runner, on its own stack (the
 * chaos port plan), before the shared end-to-end stack starts (order -1), so the two
 * never run at once. The verdict is the runner's, computed from the data: every call
 * answered, every committed event at every subscriber exactly once, the projections equal
 * to what the load did. At 30 writes/s (half of {@code scripts/chaos}'), so the freeze's
 * backlog drains within the build's budget on a small CI machine.
 */
@Order(-1)
class BrokerFreezeScenarioRun {

	@Test
	void theBrokerFrozenForThirtySecondsLosesNothingAndEveryRoleResumesByItself() throws Exception {
		ChaosResult result = new Chaos(Path.of("").toAbsolutePath(), false, 30).run(new BrokerFreeze());

		assertThat(result.verdict().failures()).as("the verdict's reasons").isEmpty();
		// the load ran through the freeze: events were committed during it and delivered
		// after it
		assertThat(result.observed().committed()).isGreaterThan(500);
		assertThat(result.measured()).containsKey("backlog drained after SIGCONT (s)")
			.containsKey("publishing resumed after SIGCONT (s)");
		assertThat(result.measured().get("publish stall around the freeze (s)")).isInstanceOf(Double.class)
			.satisfies(
					(stall) -> assertThat((Double) stall).isGreaterThanOrEqualTo(BrokerFreeze.FREEZE.toSeconds() - 1));
	}

}
