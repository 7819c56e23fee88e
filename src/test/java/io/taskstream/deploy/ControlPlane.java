package io.taskstream.deploy;

import io.taskstream.Commands;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Kubernetes control plane of {@code scripts/control-plane} (etcd, kube-apiserver,
 * kube-controller-manager built from their Go modules, and Dapr's Sentry and sidecar
 * injector as a live webhook), with kubectl and helm on its admin kubeconfig. The tests
 * keep its state under target/, apart from a developer's {@code .control-plane/}.
 */
final class ControlPlane {

	static final Path STATE = Path.of("target/control-plane").toAbsolutePath();

	private static final String SCRIPT = "scripts/control-plane";

	private ControlPlane() {
	}

	/**
	 * {@code scripts/control-plane up} with the options, building the binaries the first
	 * time (its progress goes to the build's output); starts only what does not run yet.
	 */
	static void up(Map<String, String> environment, String... options) {
		List<String> command = new ArrayList<>(List.of(SCRIPT, "up"));
		command.addAll(List.of(options));
		Map<String, String> env = new HashMap<>(environment);
		env.put("CONTROL_PLANE_DIR", STATE.toString());
		Commands.Result up = run(command, env, null, true);
		if (up.exitCode() != 0) {
			throw new IllegalStateException("scripts/control-plane up failed (its output is above)");
		}
	}

	/** Stops the named processes, or everything (and removes the state) without names. */
	static void down(String... names) {
		List<String> command = new ArrayList<>(List.of(SCRIPT, "down"));
		command.addAll(List.of(names));
		Commands.Result down = run(command, Map.of("CONTROL_PLANE_DIR", STATE.toString()), null, true);
		if (down.exitCode() != 0) {
			throw new IllegalStateException("scripts/control-plane down failed (its output is above)");
		}
	}

	static Commands.Result kubectl(String... args) {
		List<String> command = new ArrayList<>(List.of(SCRIPT, "kubectl"));
		command.addAll(List.of(args));
		return run(command, Map.of("CONTROL_PLANE_DIR", STATE.toString()), null, false);
	}

	/** {@code kubectl apply -f -} of a YAML text, with more arguments (e.g. dry run). */
	static Commands.Result apply(String yaml, String... args) {
		List<String> command = new ArrayList<>(List.of(SCRIPT, "kubectl", "apply", "-f", "-"));
		command.addAll(List.of(args));
		return run(command, Map.of("CONTROL_PLANE_DIR", STATE.toString()), yaml, false);
	}

	/** kubectl that must succeed, its JSON output parsed. */
	static JsonNode kubectlJson(String... args) {
		List<String> arguments = new ArrayList<>(List.of(args));
		arguments.addAll(List.of("-o", "json"));
		return JsonMapper.shared().readTree(succeeded(kubectl(arguments.toArray(String[]::new)), "kubectl", args));
	}

	static Commands.Result helm(String... args) {
		List<String> command = DeployTools.command(DeployTools.helm(), args);
		return run(command, Map.of("KUBECONFIG", STATE.resolve("admin.kubeconfig").toString()), null, false);
	}

	static String succeeded(Commands.Result result, String tool, String... args) {
		if (result.exitCode() != 0) {
			throw new AssertionError(tool + " " + String.join(" ", args) + " failed: " + result);
		}
		return result.output();
	}

	/**
	 * The chart's previous version: the newest committed one that differs from the chart
	 * in the working tree (HEAD's, or the one before the last commit that changed it).
	 */
	static Path previousChart() {
		List<String> candidates = new ArrayList<>(List.of("HEAD"));
		String touching = git("rev-list", "HEAD", "--", Chart.DIR).output();
		touching.lines().filter((commit) -> !commit.isBlank()).forEach((commit) -> candidates.add(commit + "^"));
		for (String candidate : candidates) {
			boolean exists = git("cat-file", "-e", candidate + ":" + Chart.DIR).exitCode() == 0;
			boolean differs = git("diff", "--quiet", candidate, "--", Chart.DIR).exitCode() == 1;
			if (exists && differs) {
				Path target = Path.of("target/previous-chart").toAbsolutePath();
				Commands.Result extract = run(List.of("sh", "-c",
						"rm -rf \"$1\" && mkdir -p \"$1\" && git archive "
								+ "--format=tar \"$2\" \"$3\" | tar -x -C \"$1\"",
						"sh", target.toString(), candidate, Chart.DIR), Map.of(), null, false);
				succeeded(extract, "git archive", candidate);
				return target.resolve(Chart.DIR);
			}
		}
		throw new AssertionError("no committed version of " + Chart.DIR + " differs from the working tree's");
	}

	private static Commands.Result git(String... args) {
		List<String> command = new ArrayList<>(List.of("git"));
		command.addAll(List.of(args));
		return run(command, Map.of(), null, false);
	}

	private static Commands.Result run(List<String> command, Map<String, String> environment, String stdin,
			boolean inheritErrors) {
		try {
			ProcessBuilder builder = new ProcessBuilder(command);
			builder.environment().putAll(environment);
			if (inheritErrors) {
				builder.redirectError(ProcessBuilder.Redirect.INHERIT);
			}
			Process process = builder.start();
			try (OutputStream input = process.getOutputStream()) {
				if (stdin != null) {
					input.write(stdin.getBytes(StandardCharsets.UTF_8));
				}
			}
			CompletableFuture<String> errors = CompletableFuture
				.supplyAsync(() -> inheritErrors ? "" : read(process.getErrorStream()));
			String output = read(process.getInputStream());
			int exitCode = process.waitFor();
			return new Commands.Result(exitCode, output, errors.join());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot run " + command, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String read(InputStream stream) {
		try (stream) {
			return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
