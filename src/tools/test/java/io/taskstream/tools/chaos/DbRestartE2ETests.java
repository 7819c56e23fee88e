package io.taskstream.tools.chaos;

import java.nio.file.Path;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reliability scenario that fits the build's time: {@code scripts/chaos db-restart}
 * through the same runner, on its own stack (the chaos port plan), before every other
 * end-to-end class (order -1; {@code SecuredKafkaE2ETests} is 0 and the shared
 * {@code E2EStack} starts at 1), so no other stack runs beside it. The verdict is the
 * runner's, computed from the data: every call answered 2xx, or 503 with
 * {@code Retry-After} while the database is away (a 503 while it is up fails it), every
 * committed event at every subscriber exactly once, the projections equal to what the
 * load did. At 30 writes/s, half of {@code scripts/chaos}', for a small CI machine.
 */
@Order(-1)
class DbRestartE2ETests {

	@Test
	void postgresStoppedForThirtySecondsAnswers503MeanwhileLosesNothingAndEveryRoleResumesByItself() throws Exception {
		ChaosResult result = new Chaos(Path.of("").toAbsolutePath(), false, 30).run(new DbRestart());

		assertThat(result.verdict().failures()).as("the verdict's reasons").isEmpty();
		// the outage was seen: calls were answered 503 while the database was away, and
		// the load went on committing changes around it
		assertThat(result.observed().calls().byStatus()).containsKey(503);
		assertThat(result.observed().committed()).isGreaterThan(500);
		assertThat(result.measured()).containsEntry("calls failed while the database was up", 0.0)
			.containsEntry("503 answers without Retry-After", 0.0)
			.containsKey("readiness DOWN on every role after (s)")
			.containsKey("backlog drained after restart (s)");
	}

}
