package io.taskstream.tools.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The apps attached to the stack ({@code scripts/stack attach}), kept under
 * {@code <state>/attached/<app-id>/}: what was attached and on which ports
 * ({@code attachment.properties}, owner-only: it holds the app's tokens), its sidecar's
 * resources ({@code resources/}) and the app's environment ({@code app.env}). Another JVM
 * ({@code status}, {@code detach}, {@code down}) finds them there; nothing in the
 * repository is written.
 */
final class AttachedApps {

	/** How many apps can be attached at once: each takes a slot of sidecar ports. */
	static final int SLOTS = 20;

	private final Path dir;

	AttachedApps(Path state) {
		this.dir = state.resolve("attached");
	}

	/**
	 * An attached app: its attachment, its sidecar's ports and the tokens of its own
	 * (never the roles': an attached app must not be able to call a role as its sidecar).
	 */
	record Attached(Attachment attachment, StackPorts.RolePorts sidecar, String appApiToken, String daprApiToken) {

		String appId() {
			return this.attachment.appId();
		}

		String part() {
			return partName(appId());
		}

		/** What the app needs to talk to its sidecar and to check the sidecar's calls. */
		Map<String, String> appEnvironment(Path repo) {
			Map<String, String> env = new LinkedHashMap<>();
			env.put("APP_ID", appId());
			env.put("APP_PORT", Integer.toString(this.attachment.appPort()));
			env.put("DAPR_HTTP_PORT", Integer.toString(this.sidecar.daprHttp()));
			env.put("DAPR_GRPC_PORT", Integer.toString(this.sidecar.daprGrpc()));
			env.put("APP_API_TOKEN", this.appApiToken);
			env.put("DAPR_API_TOKEN", this.daprApiToken);
			env.put("PUBSUB_NAME", Attachment.PUBSUB);
			env.put("TASK_EVENT_SCHEMA",
					repo.resolve("src/main/resources/schemas/task-event.v1.schema.json").toAbsolutePath().toString());
			return env;
		}

		/** What its sidecar needs: the broker and the two tokens. */
		Map<String, String> sidecarEnvironment(int kafkaPort) {
			return Map.of("KAFKA_BROKERS", "127.0.0.1:" + kafkaPort, "APP_API_TOKEN", this.appApiToken,
					"DAPR_API_TOKEN", this.daprApiToken);
		}

	}

	static String partName(String appId) {
		return appId + "-dapr";
	}

	/** A new attachment with fresh tokens. */
	static Attached newAttached(Attachment attachment, StackPorts.RolePorts sidecar) {
		return new Attached(attachment, sidecar, UUID.randomUUID().toString(), UUID.randomUUID().toString());
	}

	List<Attached> list() {
		if (!Files.isDirectory(this.dir)) {
			return List.of();
		}
		List<Attached> attached = new ArrayList<>();
		try (Stream<Path> apps = Files.list(this.dir)) {
			for (Path app : apps.sorted().toList()) {
				Path file = app.resolve("attachment.properties");
				if (Files.isRegularFile(file)) {
					attached.add(read(file));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return attached;
	}

	Optional<Attached> find(String appId) {
		return list().stream().filter((app) -> app.appId().equals(appId)).findFirst();
	}

	Path resources(String appId) {
		return this.dir.resolve(appId).resolve("resources");
	}

	Path environmentFile(String appId) {
		return this.dir.resolve(appId).resolve("app.env");
	}

	/**
	 * Writes what {@link #list} reads back, its sidecar's resources and the app's env.
	 */
	void save(Attached attached, Map<String, String> resources, Path repo) {
		Properties properties = new Properties();
		properties.setProperty("arguments", String.join(" ", attached.attachment().arguments()));
		properties.setProperty("dapr-http-port", Integer.toString(attached.sidecar().daprHttp()));
		properties.setProperty("dapr-grpc-port", Integer.toString(attached.sidecar().daprGrpc()));
		properties.setProperty("dapr-internal-grpc-port", Integer.toString(attached.sidecar().daprInternalGrpc()));
		properties.setProperty("dapr-metrics-port", Integer.toString(attached.sidecar().daprMetrics()));
		properties.setProperty("app-api-token", attached.appApiToken());
		properties.setProperty("dapr-api-token", attached.daprApiToken());
		StringWriter text = new StringWriter();
		try {
			properties.store(text, "scripts/stack attach " + attached.appId());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		DaprResources.writeOwnerOnly(this.dir.resolve(attached.appId()).resolve("attachment.properties"),
				text.toString());
		StringBuilder env = new StringBuilder("# The environment of the app attached as " + attached.appId()
				+ "; load it with: set -a; . <this file>; set +a\n");
		attached.appEnvironment(repo)
			.forEach((name, value) -> env.append(name).append("='").append(value).append("'\n"));
		DaprResources.writeOwnerOnly(environmentFile(attached.appId()), env.toString());
		DaprResources.sync(resources(attached.appId()), resources);
	}

	/** Forgets an attached app: its record, resources and environment file. */
	void remove(String appId) {
		Path app = this.dir.resolve(appId);
		if (!Files.exists(app)) {
			return;
		}
		try (Stream<Path> walk = Files.walk(app)) {
			for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Attached read(Path file) {
		Properties properties = new Properties();
		try (Reader reader = Files.newBufferedReader(file)) {
			properties.load(reader);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Attachment attachment = Attachment.parse(List.of(properties.getProperty("arguments").split(" ")));
		StackPorts.RolePorts sidecar = new StackPorts.RolePorts(attachment.appId(), attachment.appPort(),
				Integer.parseInt(properties.getProperty("dapr-http-port")),
				Integer.parseInt(properties.getProperty("dapr-grpc-port")),
				Integer.parseInt(properties.getProperty("dapr-internal-grpc-port")),
				Integer.parseInt(properties.getProperty("dapr-metrics-port")));
		return new Attached(attachment, sidecar, properties.getProperty("app-api-token"),
				properties.getProperty("dapr-api-token"));
	}

}
