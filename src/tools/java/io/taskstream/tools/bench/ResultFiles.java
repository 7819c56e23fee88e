package io.taskstream.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Where a run's results go ({@code bench/results/}) and what machine they came from. */
final class ResultFiles {

	/**
	 * The run the report compares CPU per event with: the same machine an hour before
	 * bulk delivery became the default, everything else of issue 15 in (2026-11-30 23:14
	 * UTC, commit 51ceb6d). The last run before issue 15 (2026-11-29 16:05 UTC, commit
	 * 8a1d4ab) was on another machine (AMD EPYC, raw Kafka twice as fast), so it is kept
	 * beside it but no longer compared with.
	 */
	static final String BEFORE = "2026-11-30-2314-51ceb6d.json";

	private ResultFiles() {
	}

	/**
	 * Writes the run as JSON and as the latest table.
	 * @return the JSON file
	 */
	static Path write(Path repo, Results results) throws IOException {
		Path dir = repo.resolve("bench/results");
		Files.createDirectories(dir);
		String stamp = DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm").withZone(ZoneOffset.UTC).format(Instant.now());
		Path file = dir.resolve(stamp + "-" + results.gitSha() + (results.quick() ? "-quick" : "") + ".json");
		Files.writeString(file, Report.json(results));
		Files.writeString(dir.resolve(latestName(results)),
				"# Latest benchmark run\n\n" + Report.markdown(results, before(repo)));
		return file;
	}

	/** The run to compare with ({@link #BEFORE}), or {@code null} if it is not there. */
	static Results before(Path repo) throws IOException {
		Path file = repo.resolve("bench/results").resolve(BEFORE);
		return Files.isRegularFile(file) ? Report.fromJson(Files.readString(file)) : null;
	}

	/** A labelled variant does not replace the production-default run's table. */
	static String latestName(Results results) {
		return (results.variant().startsWith("tracing off") ? "latest-no-tracing" : "latest")
				+ (results.quick() ? "-quick" : "") + ".md";
	}

	static String machine() {
		int cores = Runtime.getRuntime().availableProcessors();
		String model = "";
		long memoryKb = 0;
		try {
			model = Files.readAllLines(Path.of("/proc/cpuinfo"))
				.stream()
				.filter((line) -> line.startsWith("model name"))
				.map((line) -> line.substring(line.indexOf(':') + 1).trim())
				.findFirst()
				.orElse("");
			memoryKb = ProcessUsage.statusKb(Files.readString(Path.of("/proc/meminfo")), "MemTotal:");
		}
		catch (IOException ex) {
			// not Linux: cores only
		}
		return String.format(Locale.ROOT, "%d cores%s, %.0f GiB", cores, model.isEmpty() ? "" : " (" + model + ")",
				memoryKb / 1024.0 / 1024.0);
	}

}
