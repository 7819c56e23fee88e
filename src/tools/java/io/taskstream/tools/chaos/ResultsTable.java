package io.taskstream.tools.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The table of results in {@code docs/reliability.md}: the lines between two markers, one
 * row per scenario. A run replaces the rows of the scenarios it ran and keeps the others,
 * so running one scenario updates its row only.
 */
final class ResultsTable {

	static final String BEGIN = "<!-- chaos:results (written by scripts/chaos) -->";

	static final String END = "<!-- /chaos:results -->";

	static final String HEADER = """
			| scenario | what happened | measured | verdict | reproduce |
			|---|---|---|---|---|""";

	private ResultsTable() {
	}

	static void update(Path doc, List<ChaosResult> results) throws IOException {
		String text = Files.exists(doc) ? Files.readString(doc) : "# Reliability\n\n" + BEGIN + "\n" + END + "\n";
		Files.writeString(doc, updated(text, results));
	}

	/** The document with the table's rows replaced by these results' where they ran. */
	static String updated(String text, List<ChaosResult> results) {
		int begin = text.indexOf(BEGIN);
		int end = text.indexOf(END);
		if (begin < 0 || end < begin) {
			throw new IllegalStateException("docs/reliability.md has no " + BEGIN + " ... " + END + " block");
		}
		Map<String, String> rows = new LinkedHashMap<>();
		for (String line : text.substring(begin + BEGIN.length(), end).split("\n")) {
			String scenario = scenarioOf(line);
			if (scenario != null) {
				rows.put(scenario, line);
			}
		}
		results.forEach((result) -> rows.put(result.scenario(), result.row()));
		StringBuilder table = new StringBuilder(BEGIN).append('\n').append(HEADER).append('\n');
		for (ChaosScenario scenario : Scenarios.ALL) {
			String row = rows.remove(scenario.name());
			table
				.append((row != null) ? row
						: "| " + scenario.name() + ": " + scenario.summary() + " | not run yet | | | `scripts/chaos "
								+ scenario.name() + "` |")
				.append('\n');
		}
		rows.values().forEach((row) -> table.append(row).append('\n'));
		return text.substring(0, begin) + table + text.substring(end);
	}

	/** The scenario a row is about: its first cell up to the colon. */
	private static String scenarioOf(String line) {
		if (!line.startsWith("| ") || line.startsWith("| scenario |")) {
			return null;
		}
		int colon = line.indexOf(':');
		int bar = line.indexOf(" |", 2);
		return (colon > 2 && (bar < 0 || colon < bar)) ? line.substring(2, colon) : null;
	}

}
