package io.taskstream.docs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The contract checkers and the example subscribers' Python venv, installed into a cache
 * outside the repository by {@code scripts/install-contract-tools} (the AsyncAPI parser
 * and Redocly's OpenAPI core from npm, pytest and the example's pinned requirements from
 * PyPI), and a way to run them. A missing node, npm or python3 fails the install, so the
 * tests that need them fail loudly instead of being skipped.
 */
final class ContractTools {

	private static Map<String, Path> paths;

	private ContractTools() {
	}

	/** The {@code node_modules} folder holding the validators, for {@code NODE_PATH}. */
	static Path nodeModules() {
		return path("node-modules");
	}

	/** The Python of the example subscriber's venv (its requirements and pytest). */
	static Path python() {
		return path("python");
	}

	/** A command's exit code and what it printed. */
	record Result(int exitCode, String output, String errors) {

		@Override
		public String toString() {
			return "exit " + this.exitCode + "\n" + this.errors + "\n" + this.output;
		}

	}

	/** Runs a command in a directory with extra environment variables. */
	static Result run(Path directory, Map<String, String> environment, List<String> command) {
		try {
			ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
			builder.environment().putAll(environment);
			Process process = builder.start();
			process.getOutputStream().close();
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

	/** Runs a node script with the validators on its module path. */
	static Result node(String script, String... args) {
		List<String> command = new java.util.ArrayList<>(List.of("node", script));
		command.addAll(List.of(args));
		return run(Path.of("."), Map.of("NODE_PATH", nodeModules().toString()), command);
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
			Result install = run(Path.of("."), Map.of(), List.of("scripts/install-contract-tools", "--print-paths"));
			if (install.exitCode() != 0) {
				throw new IllegalStateException("scripts/install-contract-tools failed:\n" + install);
			}
			Map<String, Path> found = new LinkedHashMap<>();
			for (String line : install.output().strip().split("\n")) {
				found.put(line.substring(0, line.indexOf('=')), Path.of(line.substring(line.indexOf('=') + 1)));
			}
			paths = found;
		}
		return paths.get(tool);
	}

}
