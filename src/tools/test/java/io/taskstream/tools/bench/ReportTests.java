package io.taskstream.tools.bench;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReportTests {

	static Results sample() {
		List<Scenario> scenarios = List.of(
				new Scenario("raw-sync", "2. raw sync", 10, 136_000, 0, 13_600, TargetsTests.latency(1.1, 3.2, 7.5),
						null,
						Map.of(ProcessUsage.OTHERS, new ProcessUsage.Usage(0.5, 0), "kafka",
								new ProcessUsage.Usage(9.5, 700, 1.25))),
				TargetsTests.step(200, 199, TargetsTests.latency(6, 22, 40), TargetsTests.latency(8, 45, 95), 5, 6,
						1990));
		return new Results("2026-11-29 12:00 UTC", "abc1234", "2 cores, 24 GiB", "tracing on", false, "", 420,
				scenarios, Targets.evaluate(scenarios), List.of("a note"));
	}

	@Test
	void theMarkdownHasARowPerScenarioAPipelineTableAndTheTargets() {
		String markdown = Report.markdown(sample());
		assertThat(markdown).contains("commit abc1234, on 2 cores, 24 GiB")
			.contains("| raw-sync | 2. raw sync | 136000 | 13600 | 1.10 | 3.20 | 3.20 | 7.50 | 7.50 |")
			.contains("| pipeline-200 | 200 | 199 | 0 | 6.00 / 22.0 |")
			.contains("| Pipeline at 200/s: API p99 | ≤ 25 ms | 22.0 ms | **met** |")
			.contains("| Backlog drain | ≥ 5,000 events/s to all three subscribers | - | **not measured** |")
			.contains("- a note");
	}

	@Test
	void theResourceTablesLeaveOtherLoadOutOfTheTotalAndThePeaks() {
		String markdown = Report.markdown(sample());
		assertThat(markdown).contains("| CPU s | kafka | others | total (this benchmark) | CPU ms per op |")
			.contains("| raw-sync | 9.5 | 0.5 | 9.5 | 0.07 |")
			.contains("| peak MB | kafka |\n")
			.contains("| raw-sync | 700 |")
			.contains("| JIT CPU s | kafka |\n|---|---:|\n| raw-sync | 1.3 |");
	}

	@Test
	void theJsonHoldsTheWholeRun() {
		Results results = sample();
		String json = Report.json(results);
		assertThat(json).contains("\"gitSha\" : \"abc1234\"").contains("\"p999\"");
		assertThat(Report.fromJson(json)).isEqualTo(results);
	}

	@Test
	void millisecondsKeepTheDigitsThatMatter() {
		assertThat(Report.ms(0.123)).isEqualTo("0.12");
		assertThat(Report.ms(12.34)).isEqualTo("12.3");
		assertThat(Report.ms(1234.5)).isEqualTo("1235");
	}

}
