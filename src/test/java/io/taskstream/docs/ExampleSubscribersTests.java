package io.taskstream.docs;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.taskstream.Commands;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example subscribers' own unit tests (pytest, go test) run in the build, so the code
 * a team copies keeps following the contract. Nothing here is skipped: without python3 or
 * go the test fails and says why.
 */
class ExampleSubscribersTests {

	@Test
	void thePythonSubscribersTestsPass() {
		Commands.Result result = Commands.run(Path.of("examples/python-subscriber"),
				Map.of("PYTHONDONTWRITEBYTECODE", "1"),
				List.of(ContractTools.python().toString(), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs"));
		assertThat(result.exitCode()).as("pytest in examples/python-subscriber:\n%s", result).isZero();
		Matcher summary = Pattern.compile("(\\d+) passed").matcher(result.output());
		assertThat(summary.find()).as(result.toString()).isTrue();
		assertThat(Integer.parseInt(summary.group(1))).isGreaterThanOrEqualTo(10);
		assertThat(result.output()).doesNotContain("skipped", "xfail");
	}

	@Test
	void theGoSubscribersTestsPass() {
		Commands.Result result = Commands.run(Path.of("examples/go-subscriber"), Map.of(),
				List.of("go", "test", "-count=1", "-v", "./..."));
		assertThat(result.exitCode()).as("go test in examples/go-subscriber:\n%s", result).isZero();
		assertThat(Pattern.compile("^--- PASS", Pattern.MULTILINE).matcher(result.output()).results().count())
			.as(result.toString())
			.isGreaterThanOrEqualTo(10);
		assertThat(result.output()).doesNotContain("--- SKIP");
	}

}
