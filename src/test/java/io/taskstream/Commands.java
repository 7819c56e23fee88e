package io.taskstream;

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
 * Runs external commands for the tests that check the repository with real tools (the
 * chart with helm, the contracts with node): one way to run a command and one way to read
 * where an install script put its tools.
 */
public final class Commands {

	private Commands() {
	}

	/** A command's exit code and what it printed (stdout, then stderr). */
	public record Result(int exitCode, String output, String errors) {

		@Override
		public String toString() {
			return "exit " + this.exitCode + "\n" + this.errors + "\n" + this.output;
		}

	}

	/** Runs a command in the working directory. */
	public static Result run(List<String> command) {
		return run(Path.of("."), Map.of(), command);
	}

	/**
	 * Runs a command in a directory with extra environment variables; its stdin is closed
	 * so that nothing waits for input, and stderr is read alongside stdout so that
	 * neither pipe fills up and blocks it.
	 */
	public static Result run(Path directory, Map<String, String> environment, List<String> command) {
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

	/**
	 * Runs an install script with {@code --print-paths} and reads the {@code name=path}
	 * lines it prints; a failed install fails the test with its output.
	 */
	public static Map<String, Path> installedPaths(String script) {
		Result install = run(List.of(script, "--print-paths"));
		if (install.exitCode() != 0) {
			throw new IllegalStateException(script + " failed:\n" + install);
		}
		Map<String, Path> found = new LinkedHashMap<>();
		for (String line : install.output().strip().split("\n")) {
			found.put(line.substring(0, line.indexOf('=')), Path.of(line.substring(line.indexOf('=') + 1)));
		}
		return found;
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
