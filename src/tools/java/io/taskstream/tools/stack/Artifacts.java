package io.taskstream.tools.stack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the build left for the stack to run: the app jar, Zipkin's jar, and the classpath
 * of the tools and their libraries ({@code target/stack/classpath.txt}, written by the
 * build's {@code stack-classpath} execution).
 */
final class Artifacts {

	private static final String BUILD_FIRST = "run ./mvnw -DskipTests package";

	private final Path repo;

	Artifacts(Path repo) {
		this.repo = repo;
	}

	/** A JVM running {@code mainClass} on the tools' classpath. */
	List<String> javaCommand(List<String> jvmOptions, String mainClass, String... args) {
		List<String> command = new ArrayList<>();
		command.add(java());
		command.addAll(jvmOptions);
		command.add("-cp");
		command.add(classpath());
		command.add(mainClass);
		command.addAll(List.of(args));
		return command;
	}

	/** The tools compile with the tests (see the pom's build-helper execution). */
	private String classpath() {
		Path file = this.repo.resolve("target/stack/classpath.txt");
		try {
			return this.repo.resolve("target/test-classes") + File.pathSeparator + this.repo.resolve("target/classes")
					+ File.pathSeparator + Files.readString(file).trim();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(file + " is missing: " + BUILD_FIRST, ex);
		}
	}

	String appJar() {
		try (Stream<Path> files = Files.list(this.repo.resolve("target"))) {
			return files.filter((file) -> file.getFileName().toString().matches("taskstream-.*\\.jar"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("no target/taskstream-*.jar: " + BUILD_FIRST))
				.toString();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	String file(String relative) {
		Path path = this.repo.resolve(relative);
		if (!Files.exists(path)) {
			throw new IllegalStateException(path + " is missing: " + BUILD_FIRST);
		}
		return path.toString();
	}

	static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

}
