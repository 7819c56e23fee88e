package io.taskstream.tools.stack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The stack's processes by part name: each one's pid goes to
 * {@code <state>/pids/<part>.pid} and its output to {@code <state>/logs/<part>.log}, so
 * another JVM (e.g. {@code scripts/stack down}) can find and stop exactly what was
 * started.
 */
final class Processes {

	private final Path workingDirectory;

	private final Path state;

	/**
	 * Where each part's log stood when this JVM started it: a failure shows what this run
	 * wrote, not the tail of an earlier run.
	 */
	private final Map<String, Long> logStarts = new ConcurrentHashMap<>();

	Processes(Path workingDirectory, Path state) {
		this.workingDirectory = workingDirectory;
		this.state = state;
	}

	Path log(String name) {
		return this.state.resolve("logs").resolve(name + ".log");
	}

	/** Starts a process for the part, its output appended to the part's log. */
	void launch(String name, List<String> partCommand, Map<String, String> environment) {
		try {
			Files.createDirectories(this.state.resolve("pids"));
			Files.createDirectories(this.state.resolve("logs"));
			Path log = log(name);
			Files.writeString(log, "--- " + name + " started at " + Instant.now() + " ---\n",
					java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
			this.logStarts.put(name, Files.size(log));
			List<String> command = new ArrayList<>();
			if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
				// its own session: a Ctrl-C at the terminal that ran "stack up" does not
				// reach it
				command.add("/usr/bin/setsid");
			}
			command.addAll(partCommand);
			ProcessBuilder builder = new ProcessBuilder(command).directory(this.workingDirectory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
				.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
			builder.environment().putAll(environment);
			Process process = builder.start();
			Files.writeString(pidFile(name), Long.toString(process.pid()));
			LocalStack.progress("started " + name + " (pid " + process.pid() + ")");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("starting " + name + " failed", ex);
		}
	}

	/**
	 * Waits until the part is healthy; fails with the end of what this run logged if it
	 * exits or is not healthy in time.
	 */
	void awaitHealthy(String name, BooleanSupplier health, Duration timeout) {
		long started = System.nanoTime();
		long deadline = started + timeout.toNanos();
		while (!health.getAsBoolean()) {
			if (running(name).isEmpty()) {
				throw new IllegalStateException(name + " exited during start-up; " + currentLog(name));
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(
						name + " was not healthy after " + timeout.toSeconds() + " s; " + currentLog(name));
			}
			sleep(250);
		}
		LocalStack.progress(String.format("%s healthy after %.1f s", name, (System.nanoTime() - started) / 1e9));
	}

	private String currentLog(String name) {
		return "the end of what it logged in this run (" + log(name) + "):\n"
				+ LogFile.tail(log(name), this.logStarts.getOrDefault(name, 0L), 40);
	}

	/**
	 * Stops a part: SIGTERM and up to 15 s (or SIGKILL at once), then its leftover
	 * children.
	 * @return whether it was running
	 */
	boolean terminate(String name, boolean kill) {
		Optional<ProcessHandle> process = running(name);
		try {
			Files.deleteIfExists(pidFile(name));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		if (process.isEmpty()) {
			return false;
		}
		ProcessHandle handle = process.get();
		List<ProcessHandle> descendants = handle.descendants().toList();
		if (kill) {
			handle.destroyForcibly();
		}
		else {
			handle.destroy();
		}
		awaitExit(handle, Duration.ofSeconds(15));
		if (handle.isAlive()) {
			handle.destroyForcibly();
		}
		descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
		while (handle.isAlive()) {
			sleep(50);
		}
		LocalStack.progress((kill ? "killed " : "stopped ") + name + " (pid " + handle.pid() + ")");
		return true;
	}

	/**
	 * Sends a signal ({@code STOP}, {@code CONT}) to a running part and its children.
	 * @return whether it was running
	 */
	boolean signal(String name, String signal) {
		Optional<ProcessHandle> process = running(name);
		if (process.isEmpty()) {
			return false;
		}
		List<String> command = new ArrayList<>(List.of("kill", "-" + signal, Long.toString(process.get().pid())));
		process.get().descendants().forEach((child) -> command.add(Long.toString(child.pid())));
		try {
			Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
			if (kill.waitFor() != 0) {
				throw new IllegalStateException("kill -" + signal + " " + name + " failed: "
						+ new String(kill.getInputStream().readAllBytes()));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		LocalStack.progress("SIG" + signal + " " + name + " (pid " + process.get().pid() + ")");
		return true;
	}

	/**
	 * PostgreSQL outlives its JVM if that JVM was killed; its own pid file says where it
	 * is.
	 */
	void stopOrphanPostgres() {
		Path pidFile = this.state.resolve("postgres/postmaster.pid");
		if (!Files.exists(pidFile)) {
			return;
		}
		try {
			long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
			ProcessHandle.of(pid).ifPresent((postmaster) -> {
				postmaster.destroy();
				awaitExit(postmaster, Duration.ofSeconds(15));
				LocalStack.progress("stopped orphaned PostgreSQL (pid " + pid + ")");
			});
		}
		catch (IOException | RuntimeException ex) {
			LocalStack.progress("could not read " + pidFile + ": " + ex.getMessage());
		}
	}

	Optional<ProcessHandle> running(String name) {
		Path pidFile = pidFile(name);
		if (!Files.exists(pidFile)) {
			return Optional.empty();
		}
		try {
			long pid = Long.parseLong(Files.readString(pidFile).trim());
			return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
		}
		catch (IOException | NumberFormatException ex) {
			return Optional.empty();
		}
	}

	/** The parts with a pid file, running or not. */
	List<String> withPidFiles() {
		Path pids = this.state.resolve("pids");
		if (!Files.isDirectory(pids)) {
			return List.of();
		}
		try (var files = Files.list(pids)) {
			return files.map((file) -> file.getFileName().toString())
				.filter((file) -> file.endsWith(".pid"))
				.map((file) -> file.substring(0, file.length() - ".pid".length()))
				.sorted()
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Runs a command to its end (e.g. formatting Kafka's storage), output to a log. */
	static void run(List<String> command, Path log) throws IOException {
		Files.createDirectories(log.getParent());
		long start = Files.exists(log) ? Files.size(log) : 0;
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.start();
		try {
			if (process.waitFor() != 0) {
				throw new IllegalStateException(command.get(0) + " failed:\n" + LogFile.tail(log, start, 20));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private Path pidFile(String name) {
		return this.state.resolve("pids").resolve(name + ".pid");
	}

	private static void awaitExit(ProcessHandle process, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (process.isAlive() && System.nanoTime() < deadline) {
			sleep(100);
		}
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
