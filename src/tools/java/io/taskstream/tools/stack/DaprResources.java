package io.taskstream.tools.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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

	/** The secret store each role's secured sidecar reads its Kafka credentials from. */
	static final String SECRET_STORE = "taskstream-secrets";

	/**
	 * What {@link #resources} holds, for the secured broker and one role: the Kafka
	 * component logs in with SCRAM-SHA-512 over TLS, reading its user, password and CA
	 * through the role's own secret store ({@code secretstores.local.file}, scoped to the
	 * role, reading {@code <state>/dapr/secrets/<role>.json}, owner-only). Each role's
	 * sidecar gets a folder of its own, so no sidecar even names another's secrets file.
	 * @param secrets the secret names and values: {@code kafka-username},
	 * {@code kafka-password}, {@code kafka-ca-cert}
	 */
	Path securedResources(String role, Map<String, String> secrets) {
		Path secretsFile = this.state.resolve("dapr/secrets").resolve(role + ".json");
		writeOwnerOnly(secretsFile, json(secrets));
		Map<String, String> wanted = new LinkedHashMap<>();
		wanted.putAll(localised(this.repo.resolve("components")));
		wanted.computeIfPresent("pubsub-kafka.yaml", (name, text) -> securedKafka(text));
		wanted.putAll(localised(this.repo.resolve("dapr-config").resolve("resiliency.yaml")));
		wanted.put("secretstore.yaml", """
				# Written by the local stack for the secured broker: this role's Kafka credentials.
				apiVersion: dapr.io/v1alpha1
				kind: Component
				metadata:
				  name: %s
				spec:
				  type: secretstores.local.file
				  version: v1
				  metadata:
				    - name: secretsFile
				      value: "%s"
				scopes:
				  - %s
				""".formatted(SECRET_STORE, secretsFile, role));
		Path dir = this.state.resolve("dapr/secured").resolve(role);
		sync(dir, wanted);
		return dir;
	}

	/**
	 * The repository's Kafka component with {@code authType: password}: SCRAM-SHA-512,
	 * TLS (on by default for this auth type) with the local CA, all three values by
	 * {@code secretKeyRef} from {@link #SECRET_STORE}. The file holds no credential.
	 */
	static String securedKafka(String component) {
		String plain = """
				    - name: authType
				      value: "none"
				""";
		if (!component.contains(plain) || !component.contains("\nscopes:")) {
			throw new IllegalStateException("components/pubsub-kafka.yaml changed: cannot make its secured variant");
		}
		return component.replace(plain, """
				    - name: authType
				      value: "password"
				    - name: saslMechanism
				      value: "SHA-512"
				    - name: saslUsername
				      secretKeyRef:
				        name: kafka-username
				        key: kafka-username
				    - name: saslPassword
				      secretKeyRef:
				        name: kafka-password
				        key: kafka-password
				    - name: caCert
				      secretKeyRef:
				        name: kafka-ca-cert
				        key: kafka-ca-cert
				""").replace("\nscopes:", "\nauth:\n  secretStore: " + SECRET_STORE + "\nscopes:");
	}

	private static String json(Map<String, String> values) {
		StringBuilder json = new StringBuilder("{");
		for (Map.Entry<String, String> entry : values.entrySet()) {
			if (json.length() > 1) {
				json.append(',');
			}
			json.append('\n').append(quote(entry.getKey())).append(": ").append(quote(entry.getValue()));
		}
		return json.append("\n}\n").toString();
	}

	private static String quote(String text) {
		return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "") + '"';
	}

	/** Writes a file only its owner may read (it holds tokens or credentials). */
	static void writeOwnerOnly(Path file, String text) {
		try {
			Files.createDirectories(file.getParent());
			if (!Files.exists(file)) {
				Files.createFile(file,
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			}
			Files.writeString(file, text);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
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
