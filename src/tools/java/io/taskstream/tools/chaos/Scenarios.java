package io.taskstream.tools.chaos;

import java.util.List;
import java.util.Optional;

/** The scenarios {@code scripts/chaos} knows, in the order {@code all} runs them. */
final class Scenarios {

	/** Register a scenario here (and nowhere else). */
	static final List<ChaosScenario> ALL = List.of(new LeaderKill(), new Rebalance(), new BrokerFreeze(),
			new DbRestart(), new SseTenThousand());

	private Scenarios() {
	}

	static Optional<ChaosScenario> named(String name) {
		return ALL.stream().filter((scenario) -> scenario.name().equals(name)).findFirst();
	}

}
