package io.taskstream.tools.chaos;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ResultsTableTests {

	private static final String DOC = """
			# Reliability

			Some words.

			<!-- chaos:results (written by scripts/chaos) -->
			| scenario | what happened | measured | verdict | reproduce |
			|---|---|---|---|---|
			| leader-kill: old summary | old | old numbers | PASS | `scripts/chaos leader-kill` (2026-11-01) |
			<!-- /chaos:results -->

			More words.
			""";

	private static ChaosResult result(String scenario, Verdict verdict) {
		Observed observed = new Observed(new Observed.Calls(100, 0, Map.of(201, 100L)), Set.of(), 100, 0,
				Map.of("analytics", 100L, "notifications", 98L, "audit", 100L),
				Map.of("audit", 0L, "notifications", 0L), List.of());
		Map<String, Object> measured = new LinkedHashMap<>();
		measured.put("backlog drained after SIGCONT (s)", 4.2);
		return new ChaosResult(scenario, "the broker frozen | 30 s", "scripts/chaos " + scenario,
				"2026-11-30T20:00:00Z", 1, 20, 60, 80, 3, observed, Map.of("created", 100L), List.of("SIGSTOP kafka"),
				measured, verdict);
	}

	@Test
	void aRunReplacesItsScenariosRowKeepsTheOthersAndTheTextAround() {
		String updated = ResultsTable.updated(DOC,
				List.of(result("broker-freeze", new Verdict(List.of("notifications lost 2 of 100 events")))));

		assertThat(updated).startsWith("# Reliability\n\nSome words.\n")
			.endsWith("<!-- /chaos:results -->\n\nMore words.\n");
		assertThat(updated).contains("| leader-kill: old summary | old | old numbers | PASS |");
		assertThat(updated)
			.contains("| broker-freeze: the broker frozen \\| 30 s | SIGSTOP kafka | 100 calls in 80 s (1.3/s of 60/s "
					+ "due, 3 not made): 0 non-2xx (0 5xx), 0 unanswered; 100 events committed, lost 2, applied twice 0; backlog drained after SIGCONT "
					+ "(s) 4.2 | FAIL: notifications lost 2 of 100 events | `scripts/chaos broker-freeze` (2026-11-30) |");
		assertThat(updated)
			.contains("| rebalance: " + Scenarios.named("rebalance").orElseThrow().summary() + " | not run yet |");
		// the rows follow Scenarios.ALL, each once
		assertThat(updated.indexOf("| leader-kill:")).isLessThan(updated.indexOf("| rebalance:"));
		assertThat(updated.indexOf("| rebalance:")).isLessThan(updated.indexOf("| broker-freeze:"));
		assertThat(ResultsTable.updated(updated, List.of(result("broker-freeze", new Verdict(List.of())))))
			.containsOnlyOnce("| broker-freeze:")
			.contains("| PASS | `scripts/chaos broker-freeze`");
	}

	@Test
	void aDocumentWithoutTheMarkersIsRefused() {
		assertThatIllegalStateException().isThrownBy(() -> ResultsTable.updated("# Reliability\n", List.of()))
			.withMessageContaining("chaos:results");
	}

}
