package io.taskstream.tools.chaos;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one scenario run found: the verdict and the numbers behind it.
 *
 * @param command the command that reproduces it
 * @param measured the scenario's timings and the runner's (stalls, drain)
 */
record ChaosResult(String scenario, String summary, String command, String startedAt, int kafkaNodes, int users,
		double writesPerSecond, double loadSeconds, long missedCalls, Observed observed, Map<String, Long> acknowledged,
		List<String> happened, Map<String, Object> measured, Verdict verdict) {

	/** As JSON (target/chaos/<scenario>.json). */
	Map<String, Object> json() {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("scenario", this.scenario);
		json.put("summary", this.summary);
		json.put("command", this.command);
		json.put("startedAt", this.startedAt);
		json.put("verdict", this.verdict.line());
		json.put("passed", this.verdict.passed());
		json.put("kafkaNodes", this.kafkaNodes);
		Map<String, Object> load = new LinkedHashMap<>();
		load.put("users", this.users);
		load.put("writesPerSecond", this.writesPerSecond);
		load.put("achievedWritesPerSecond", achievedRate());
		load.put("missedCalls", this.missedCalls);
		load.put("seconds", ChaosDatabase.round(this.loadSeconds));
		json.put("load", load);
		Observed.Calls calls = this.observed.calls();
		Map<String, Object> callsJson = new LinkedHashMap<>();
		callsJson.put("total", calls.total());
		callsJson.put("ok", calls.ok());
		callsJson.put("notOk", calls.notOk());
		callsJson.put("serverErrors", calls.serverErrors());
		callsJson.put("unanswered", calls.unanswered());
		callsJson.put("byStatus",
				calls.byStatus()
					.entrySet()
					.stream()
					.collect(Collectors.toMap((entry) -> Integer.toString(entry.getKey()), Map.Entry::getValue,
							(a, b) -> a, LinkedHashMap::new)));
		json.put("calls", callsJson);
		json.put("acknowledged", this.acknowledged);
		Map<String, Object> events = new LinkedHashMap<>();
		events.put("committed", this.observed.committed());
		events.put("unpublished", this.observed.unpublished());
		events.put("processed", this.observed.processed());
		events.put("appliedTwice", this.observed.appliedTwice());
		json.put("events", events);
		json.put("projections",
				this.observed.projections()
					.stream()
					.map((projection) -> Map.of("name", projection.name(), "expected", projection.expected(), "actual",
							projection.actual()))
					.toList());
		json.put("happened", this.happened);
		json.put("measured", this.measured);
		return json;
	}

	/** Calls made per second of the load, answered or not. */
	double achievedRate() {
		return (this.loadSeconds > 0) ? ChaosDatabase.round(this.observed.calls().total() / this.loadSeconds) : 0;
	}

	/** Its row of the table in docs/reliability.md. */
	String row() {
		Observed.Calls calls = this.observed.calls();
		long lost = this.observed.processed()
			.values()
			.stream()
			.mapToLong((processed) -> Math.max(0, this.observed.committed() - processed))
			.max()
			.orElse(0);
		long twice = this.observed.appliedTwice().values().stream().mapToLong(Long::longValue).sum();
		String counts = String.format(Locale.ROOT,
				"%,d calls in %.0f s (%.1f/s of %.0f/s due, %,d not made): %,d non-2xx (%,d 5xx), %,d unanswered; "
						+ "%,d events committed, lost %,d, applied twice %,d",
				calls.total(), this.loadSeconds, achievedRate(), this.writesPerSecond, this.missedCalls, calls.notOk(),
				calls.serverErrors(), calls.unanswered(), this.observed.committed(), lost, twice);
		String timings = this.measured.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + " " + entry.getValue())
			.collect(Collectors.joining("; "));
		return "| " + cell(this.scenario + ": " + this.summary) + " | " + cell(String.join("; ", this.happened)) + " | "
				+ cell(counts + "; " + timings) + " | " + cell(this.verdict.line()) + " | `" + this.command + "` ("
				+ this.startedAt.substring(0, 10) + ") |";
	}

	private static String cell(String text) {
		return text.replace("|", "\\|").replace("\n", " ");
	}

}
