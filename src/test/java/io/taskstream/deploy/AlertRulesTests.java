package io.taskstream.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.taskstream.Commands;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert rules and the dashboard in {@code observability/}: Prometheus' own promtool
 * checks the rules and runs their unit tests, and a broken rule must fail that check.
 */
class AlertRulesTests {

	static final Path RULES = Path.of("observability/prometheus-rules.yaml");

	@Test
	void theAlertRulesAreValidPrometheusRules() throws Exception {
		Result result = promtool("check", "rules", RULES.toString());
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("SUCCESS: 7 rules found");
	}

	@Test
	void theAlertRulesPassTheirUnitTests() throws Exception {
		Result result = promtool("test", "rules", "observability/prometheus-rules.test.yaml");
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("SUCCESS");
	}

	@Test
	void aBrokenRuleFailsTheCheck(@TempDir Path dir) throws Exception {
		Path broken = dir.resolve("broken-rules.yaml");
		Files.writeString(broken, Files.readString(RULES)
			.replace("taskstream_outbox_oldest_age_seconds > 300", "taskstream_outbox_oldest_age_seconds >>> 300"));
		Result result = promtool("check", "rules", broken.toString());
		assertThat(result.exitCode()).isNotZero();
	}

	@Test
	void theDashboardQueriesOnlyTaskstreamAndHttpMetrics() throws IOException {
		JsonNode dashboard = JsonMapper.builder()
			.build()
			.readTree(Path.of("observability/grafana-dashboard.json").toFile());
		assertThat(dashboard.get("uid").asString()).isEqualTo("taskstream-pipeline");
		List<String> expressions = dashboard.findValues("expr").stream().map(JsonNode::asString).toList();
		assertThat(expressions).hasSizeGreaterThanOrEqualTo(8)
			.allSatisfy((expr) -> assertThat(expr).containsAnyOf("taskstream_", "http_server_requests_"));
	}

	/** promtool's exit code and what it printed (stdout and stderr together). */
	record Result(int exitCode, String output) {
	}

	static Result promtool(String... args) throws IOException, InterruptedException {
		Process install = new ProcessBuilder("scripts/install-promtool", "--print-path")
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		String promtool = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		assertThat(install.waitFor()).as("scripts/install-promtool").isZero();
		Commands.Result result = DeployTools.run(DeployTools.command(Path.of(promtool), args));
		return new Result(result.exitCode(), result.output() + result.errors());
	}

}
