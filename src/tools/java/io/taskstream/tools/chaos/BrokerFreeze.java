package io.taskstream.tools.chaos;

import java.time.Duration;
import java.time.Instant;

/**
 * The broker frozen, not killed: SIGSTOP keeps its sockets open but answers nothing (a
 * stalled VM, a long GC pause, a hung disk), so clients see no connection error, only
 * silence, until their own timeouts fire. Then SIGCONT. Nothing may be lost, and the
 * relay and the subscribers must resume by themselves.
 */
final class BrokerFreeze implements ChaosScenario {

	static final Duration FREEZE = Duration.ofSeconds(30);

	private static final Duration RECOVERY = Duration.ofSeconds(180);

	@Override
	public String name() {
		return "broker-freeze";
	}

	@Override
	public String summary() {
		return "the Kafka broker frozen (SIGSTOP) for " + FREEZE.toSeconds() + " s, then SIGCONT";
	}

	@Override
	public void inject(ChaosRun run) throws Exception {
		ChaosDatabase database = run.database();
		String broker = run.stack().kafkaParts().get(0);
		Instant frozen = run.now();
		run.stack().freeze(broker);
		run.happened("SIGSTOP " + broker + " for " + FREEZE.toSeconds() + " s");
		run.pause(FREEZE);
		run.stack().thaw(broker);
		Instant thawed = run.now();
		run.happened("SIGCONT " + broker);
		run.await("publishing after SIGCONT", RECOVERY, () -> !Double.isNaN(database.firstPublishAfter(thawed)));
		run.measure("publishing resumed after SIGCONT (s)", database.firstPublishAfter(thawed));
		for (String subscriber : ChaosDatabase.SUBSCRIBERS) {
			run.await(subscriber + " applying after SIGCONT", RECOVERY,
					() -> !Double.isNaN(database.firstDeliveryAfter(subscriber, thawed)));
			run.measure(subscriber + " applying again after SIGCONT (s)",
					database.firstDeliveryAfter(subscriber, thawed));
		}
		run.await("the backlog of the freeze drained", RECOVERY, () -> !Double.isNaN(database.drainedAfter(thawed)));
		run.measure("backlog drained after SIGCONT (s)", database.drainedAfter(thawed));
		run.measure("publish stall around the freeze (s)", database.publishStall(frozen.minusSeconds(1), run.now()));
	}

}
