package io.taskstream.tools.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The files the sidecars load, written from the repository's {@code components/} and
 * {@code dapr-config/} with this stack's Zipkin port (and trace sampling, when set).
 */
final class DaprResources {

	private final Path repo;

	private final Path state;

	private final int zipkinPort;

	/** The sidecars' trace sampling rate, or {@code null} for the file's own. */
	private final String sampling;

	DaprResources(Path repo, Path state, int zipkinPort, String sampling) {
		this.repo = repo;
		this.state = state;
		this.zipkinPort = zipkinPort;
		this.sampling = (sampling == null || sampling.isBlank()) ? null : sampling;
	}

	/**
	 * The components, subscriptions and resiliency as daprd loads them: the repository's
	 * files. Files are only written when they change: running sidecars watch this folder
	 * and reload (restarting their subscriptions) on any write.
	 */
	Path resources() {
		Path dir = this.state.resolve("dapr/resources");
		Map<String, String> wanted = new LinkedHashMap<>();
		wanted.putAll(localised(this.repo.resolve("components")));
		wanted.putAll(localised(this.repo.resolve("dapr-config").resolve("resiliency.yaml")));
		sync(dir, wanted);
		return dir;
	}

	/**
	 * The sidecars' Configuration; {@code TASKSTREAM_TRACING_SAMPLING}, when the stack's
	 * environment sets it, is the sidecars' sampling rate too, as it is the apps'.
	 */
	Path config() {
		Path dir = this.state.resolve("dapr/config");
		Map<String, String> files = localised(this.repo.resolve("dapr-config").resolve("config.yaml"));
		if (this.sampling != null) {
			files.replaceAll(
					(file, text) -> text.replace("samplingRate: \"1\"", "samplingRate: \"" + this.sampling + "\""));
		}
		sync(dir, files);
		return dir.resolve("config.yaml");
	}

	/**
	 * The YAML files of a folder (or one file) by name, with this stack's Zipkin port.
	 */
	Map<String, String> localised(Path source) {
		Map<String, String> files = new LinkedHashMap<>();
		try (Stream<Path> walk = Files.isDirectory(source) ? Files.list(source) : Stream.of(source)) {
			for (Path file : walk.filter((f) -> f.toString().endsWith(".yaml")).sorted().toList()) {
				files.put(file.getFileName().toString(),
						Files.readString(file).replace("127.0.0.1:9411", "127.0.0.1:" + this.zipkinPort));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return files;
	}

	/** Makes the folder hold exactly these files, touching only what differs. */
	static void sync(Path dir, Map<String, String> wanted) {
		try {
			Files.createDirectories(dir);
			try (Stream<Path> existing = Files.list(dir)) {
				for (Path file : existing.toList()) {
					if (!wanted.containsKey(file.getFileName().toString())) {
						Files.delete(file);
					}
				}
			}
			for (Map.Entry<String, String> file : wanted.entrySet()) {
				Path target = dir.resolve(file.getKey());
				if (!Files.exists(target) || !Files.readString(target).equals(file.getValue())) {
					Files.writeString(target, file.getValue());
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
