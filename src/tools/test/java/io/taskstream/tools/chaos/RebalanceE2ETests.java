package io.taskstream.tools.chaos;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code scripts/chaos rebalance} in the build: a second analytics instance with its own
 * sidecar joins the consumer group under load, takes partitions, and leaves, through the
 * same runner on its own stack, before the other end-to-end classes
 * ({@link DbRestartE2ETests} says why the order). The verdict is the runner's: nothing
 * applied twice across the two instances' hand-overs, nothing lost, every call answered
 * 2xx. At {@link InTheBuild}'s rate.
 */
@Order(-2)
class RebalanceE2ETests {

	@Test
	void aSecondInstanceJoinsAndLeavesWithNothingAppliedTwiceOrLost() throws Exception {
		ChaosResult result = InTheBuild.run(new Rebalance());

		assertThat(result.verdict().failures()).as("the verdict's reasons").isEmpty();
		assertThat((Long) result.measured().get("events the second instance handled")).as("it got partitions")
			.isPositive();
		assertThat(result.observed().committed()).isGreaterThan(500);
		assertThat(result.measured()).containsKey("rebalance on join: analytics stall (s)")
			.containsKey("rebalance on leave: analytics stall (s)");
	}

}
