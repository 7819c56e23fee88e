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
		Files.writeString(dir.resolve(latestName(results)), "# Latest benchmark run\n\n" + Report.markdown(results));
		return file;
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
