package io.taskstream.tools.chaos;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code scripts/chaos db-restart} in the build, through the same runner, on its own
 * stack (the chaos port plan), before the shared end-to-end classes (the scenarios are -3
 * to -1: {@link BrokerFreezeE2ETests}, {@link RebalanceE2ETests}, this;
 * {@code SecuredKafkaE2ETests} is 0 and the shared {@code E2EStack} starts at 1), so no
 * other stack runs beside it. The verdict is the runner's, computed from the data: every
 * call answered 2xx, or 503 with {@code Retry-After} while the database is away (a 503
 * while it is up fails it), every committed event at every subscriber exactly once, the
 * projections equal to what the load did. At {@link InTheBuild}'s rate.
 */
@Order(-1)
class DbRestartE2ETests {

	@Test
	void postgresStoppedForThirtySecondsAnswers503MeanwhileLosesNothingAndEveryRoleResumesByItself() throws Exception {
		ChaosResult result = InTheBuild.run(new DbRestart());

		assertThat(result.verdict().failures()).as("the verdict's reasons").isEmpty();
		// the outage was seen: calls were answered 503 while the database was away, and
		// the load went on committing changes around it
		assertThat(result.observed().calls().byStatus()).containsKey(503);
		assertThat(result.observed().committed()).isGreaterThan(500);
		assertThat(result.measured()).containsEntry("calls failed while the database was up", 0.0)
			.containsEntry("503 answers without Retry-After", 0.0)
			.containsKey("backlog drained after restart (s)");
		// the probe answers DOWN at once (it does not wait in the pool's line): the four
		// roles asked one after the other
		assertThat((Double) result.measured().get("readiness DOWN on every role after (s)")).isLessThan(5.0);
	}

}
