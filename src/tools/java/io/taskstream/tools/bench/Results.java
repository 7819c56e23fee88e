package io.taskstream.tools.bench;

import java.util.List;
import java.util.Optional;

/**
 * One benchmark run.
 *
 * @param variant {@code tracing on (sampling 1)} or a labelled variant
 * @param load what else ran on the machine, if known
 */
record Results(String date, String gitSha, String machine, String variant, boolean quick, String load,
		double runSeconds, List<Scenario> scenarios, List<Target> targets, List<String> notes) {

	Optional<Scenario> scenario(String id) {
		return this.scenarios.stream().filter((scenario) -> scenario.id().equals(id)).findFirst();
	}

}
