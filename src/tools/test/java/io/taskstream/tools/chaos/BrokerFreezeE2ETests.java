package io.taskstream.tools.chaos;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code scripts/chaos broker-freeze} in the build: the broker SIGSTOPped for 30 s under
 * load and SIGCONTed, through the same runner on its own stack (the chaos port plan),
 * before the other end-to-end classes ({@link DbRestartE2ETests} says why the order). The
 * verdict is the runner's: every call answered 2xx (the API never waits on Kafka), every
 * committed event at every subscriber exactly once, the projections equal to what the
 * load did. At {@link InTheBuild}'s rate.
 */
@Order(-3)
class BrokerFreezeE2ETests {

	@Test
	void aFrozenBrokerFailsNoCallLosesNothingAndDeliveryResumesByItself() throws Exception {
		ChaosResult result = InTheBuild.run(new BrokerFreeze());

		assertThat(result.verdict().failures()).as("the verdict's reasons").isEmpty();
		assertThat(result.observed().calls().byStatus().keySet()).as("only successes")
			.allSatisfy((status) -> assertThat(status).isBetween(200, 299));
		assertThat(result.observed().committed()).isGreaterThan(500);
		assertThat(result.measured()).containsKey("publishing resumed after SIGCONT (s)")
			.containsKey("backlog drained after SIGCONT (s)");
		// the freeze was felt: publishing stalled for most of it
		assertThat((Double) result.measured().get("publish stall around the freeze (s)")).isGreaterThan(15.0);
	}

}
