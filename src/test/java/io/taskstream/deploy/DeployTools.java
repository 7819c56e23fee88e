package io.taskstream.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The offline checkers, installed into a cache outside the repository by
 * {@code scripts/install-deploy-tools} (helm and kustomize from their Go modules,
 * kubernetes-validate from PyPI), and a way to run them.
 */
final class DeployTools {

	/** The Kubernetes version the chart is rendered for and validated against. */
	static final String KUBE_VERSION = "1.34.0";

	private static Map<String, Path> paths;

	private DeployTools() {
	}

	static Path helm() {
		return path("helm");
	}

	static Path kustomize() {
		return path("kustomize");
	}

	static Path kubernetesValidate() {
		return path("kubernetes-validate");
	}

	/** A tool's exit code and what it printed (stdout, then stderr). */
	record Result(int exitCode, String output, String errors) {

		@Override
		public String toString() {
			return "exit " + this.exitCode + "\n" + this.errors + "\n" + this.output;
		}

	}

	static Result run(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).start();
			CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
			String output = read(process.getInputStream());
			int exitCode = process.waitFor();
			return new Result(exitCode, output, errors.join());
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot run " + command + ": " + ex.getMessage(), ex);
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

	private static synchronized Path path(String tool) {
		if (paths == null) {
			Process install;
			try {
				install = new ProcessBuilder("scripts/install-deploy-tools", "--print-paths")
					.redirectError(ProcessBuilder.Redirect.INHERIT)
					.start();
				String printed = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
				if (install.waitFor() != 0) {
					throw new IllegalStateException("scripts/install-deploy-tools failed (see its output above)");
				}
				Map<String, Path> found = new LinkedHashMap<>();
				for (String line : printed.strip().split("\n")) {
					found.put(line.substring(0, line.indexOf('=')), Path.of(line.substring(line.indexOf('=') + 1)));
				}
				paths = found;
			}
			catch (IOException ex) {
				throw new IllegalStateException("cannot run scripts/install-deploy-tools: " + ex.getMessage(), ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		return paths.get(tool);
	}

	static List<String> command(Path tool, String... args) {
		List<String> command = new ArrayList<>(List.of(tool.toString()));
		command.addAll(List.of(args));
		return command;
	}

}
