package io.taskstream.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every script in {@code scripts/} answers {@code --help} and {@code -h} with its usage
 * and does nothing else: no build, no download, no file written in the repository or in
 * the caches it would use.
 */
class ScriptsHelpTests {

	private static final Path REPO = Path.of("").toAbsolutePath();

	@TempDir
	Path home;

	static Stream<Path> scripts() throws IOException {
		try (Stream<Path> files = Files.list(REPO.resolve("scripts"))) {
			List<Path> scripts = files.filter(Files::isRegularFile).sorted().toList();
			assertThat(scripts).isNotEmpty();
			return scripts.stream();
		}
	}

	@ParameterizedTest
	@MethodSource("scripts")
	void answersHelpWithItsUsageAndDoesNothingElse(Path script) throws Exception {
		assertThat(script).isExecutable();
		for (String flag : List.of("--help", "-h")) {
			Map<String, Long> before = snapshot(REPO);
			ProcessBuilder builder = new ProcessBuilder(script.toString(), flag).directory(REPO.toFile())
				.redirectErrorStream(true);
			// where the scripts keep their state and caches: any write there would show
			Map<String, String> environment = builder.environment();
			environment.put("HOME", this.home.toString());
			environment.put("TASKSTREAM_CACHE", this.home.resolve("cache").toString());
			environment.put("TASKSTREAM_TOOLS_DIR", this.home.resolve("tools").toString());
			environment.put("TASKSTREAM_STACK_DIR", this.home.resolve("stack").toString());
			environment.put("TASKSTREAM_BENCH_DIR", this.home.resolve("bench").toString());
			Process process = builder.start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s %s ends", script, flag).isTrue();

			assertThat(process.exitValue()).as("%s %s exit code; output:%n%s", script, flag, output).isZero();
			assertThat(output.lines()).as("%s %s", script, flag)
				.anySatisfy((line) -> assertThat(line).startsWith("Usage: scripts/" + script.getFileName()));
			assertThat(snapshot(REPO)).as("files in the repository after %s %s", script, flag).isEqualTo(before);
			try (Stream<Path> written = Files.list(this.home)) {
				assertThat(written).as("files written by %s %s", script, flag).isEmpty();
			}
		}
	}

	/**
	 * Every file of the repository outside {@code .git} and {@code target} (where the
	 * build and the other tests write), with its last modification time.
	 */
	private static Map<String, Long> snapshot(Path root) throws IOException {
		Map<String, Long> files = new TreeMap<>();
		try (Stream<Path> walk = Files.walk(root)) {
			walk.filter((path) -> !path.startsWith(root.resolve(".git")) && !path.startsWith(root.resolve("target")))
				.forEach((path) -> files.put(root.relativize(path).toString(), path.toFile().lastModified()));
		}
		return files;
	}

}
