package io.taskstream.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Starts, checks and stops the local stack's processes. Every process's pid goes to
 * {@code <state>/pids/<part>.pid} and its output to {@code <state>/logs/<part>.log}, so
 * {@code down} can stop exactly what {@code up} started, from another JVM.
 *
 * <p>
 * Parts: {@code postgres}, {@code kafka}, {@code zipkin}, and per role the app
 * ({@code tasks}, ...) and its sidecar ({@code tasks-dapr}, ...).
 */
public final class LocalStack {

	/** The task topics and the dead-letter topic the stack creates. */
	public static final List<String> TOPICS = List.of("task.created", "task.updated", "task.deleted", "task.completed",
			"task.deadletter", "task.replay");

	static final int PARTITIONS = 4;

	private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

	private final Path repo;

	private final Path state;

	private final StackPorts ports;

	/** Sidecars without an app that a caller added, e.g. the benchmark's publisher. */
	private final Map<String, Part> extraParts = new LinkedHashMap<>();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	/**
	 * Set for every app (e.g. {@code TASKSTREAM_WEBHOOKS_ALLOW_PRIVATE_TARGETS}), and the
	 * API tokens for every sidecar too; the caller's environment fills what is not set.
	 */
	private final Map<String, String> environment;

	public LocalStack(Path repo, Path state, StackPorts ports, Map<String, String> environment) {
		this.repo = repo.toAbsolutePath();
		this.state = state.toAbsolutePath();
		this.ports = ports;
		this.environment = Map.copyOf(environment);
	}

	/**
	 * The stack of the repository at {@code repo}; state under
	 * {@code TASKSTREAM_STACK_DIR} or {@code .stack}.
	 */
	public static LocalStack of(Path repo) {
		String dir = System.getenv("TASKSTREAM_STACK_DIR");
		Path state = (dir != null && !dir.isBlank()) ? Path.of(dir) : repo.resolve(".stack");
		return new LocalStack(repo, state, StackPorts.fromEnvironment(), Map.of());
	}

	public StackPorts ports() {
		return this.ports;
	}

	public Path state() {
		return this.state;
	}

	/** Starts every part that is not running and waits until all are healthy. */
	public void up() {
		long started = System.nanoTime();
		progress("state in " + this.state);
		startAll(List.of("postgres", "kafka", "zipkin"));
		List<String> apps = new ArrayList<>(StackPorts.ROLES);
		StackPorts.ROLES.forEach((role) -> apps.add(role + "-dapr"));
		startAll(apps);
		progress(String.format("stack up in %.0f s: %d processes healthy", (System.nanoTime() - started) / 1e9,
				parts().size()));
	}

	/**
	 * Stops every part this stack started, added sidecars and sidecars first, and checks
	 * their ports are free.
	 */
	public void down() {
		List<String> order = new ArrayList<>(unknownParts());
		order.addAll(this.extraParts.keySet());
		StackPorts.ROLES.forEach((role) -> order.add(role + "-dapr"));
		order.addAll(StackPorts.ROLES);
		order.addAll(List.of("zipkin", "kafka", "postgres"));
		int stopped = 0;
		for (String part : order) {
			if (stop(part)) {
				stopped++;
			}
		}
		stopOrphanPostgres();
		List<String> bound = allPorts().entrySet()
			.stream()
			.filter((entry) -> isListening(entry.getValue()))
			.map((entry) -> entry.getKey() + ":" + entry.getValue())
			.toList();
		progress("stack down: stopped " + stopped + " processes"
				+ (bound.isEmpty() ? ", no port left bound" : "; still bound (not ours?): " + bound));
	}

	/**
	 * {@link #down} and delete the state (data, logs, pids), so that the next {@link #up}
	 * starts from nothing.
	 */
	public void downAndWipe() {
		down();
		if (!Files.exists(this.state)) {
			return;
		}
		try (Stream<Path> walk = Files.walk(this.state)) {
			for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Parts with a pid file that this JVM does not know, e.g. a sidecar that another JVM
	 * added with {@link #startSidecar}; {@code down} stops them first.
	 */
	private List<String> unknownParts() {
		Path pids = this.state.resolve("pids");
		if (!Files.isDirectory(pids)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(pids)) {
			return files.map((file) -> file.getFileName().toString())
				.filter((file) -> file.endsWith(".pid"))
				.map((file) -> file.substring(0, file.length() - ".pid".length()))
				.filter((name) -> !parts().containsKey(name))
				.sorted()
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Starts (unless it runs) a sidecar that serves no app, as part {@code <appId>-dapr},
	 * with this stack's Configuration and the components in {@code resources};
	 * {@code ports.app()} is not used. The benchmark publishes through one.
	 * @return the part's name, for {@link #stop} and {@link #pid}
	 */
	public String startSidecar(String appId, StackPorts.RolePorts ports, Path resources) {
		String name = appId + "-dapr";
		Map<String, String> sidecarEnvironment = new LinkedHashMap<>(daprEnvironment());
		sidecarEnvironment.put("KAFKA_BROKERS", "127.0.0.1:" + this.ports.kafka());
		this.extraParts.put(name, new Part(() -> daprdCommand(appId, null, ports, resources), sidecarEnvironment,
				() -> httpOk("http://127.0.0.1:" + ports.daprHttp() + "/v1.0/healthz")));
		start(name);
		return name;
	}

	/** The pid of a running part. */
	public Optional<Long> pid(String name) {
		return running(name).map(ProcessHandle::pid);
	}

	/** The names of the parts: infrastructure, apps, sidecars, then added sidecars. */
	public List<String> partNames() {
		return List.copyOf(parts().keySet());
	}

	/** A line per part: running or not, and healthy or not. */
	public List<String> status() {
		List<String> lines = new ArrayList<>();
		for (String part : parts().keySet()) {
			Optional<ProcessHandle> process = running(part);
			lines.add(String.format("%-20s %-8s %-10s %s", part, process.isPresent() ? "running" : "stopped",
					process.isPresent() && healthy(part) ? "healthy" : "-",
					process.map((p) -> "pid " + p.pid()).orElse("")));
		}
		return lines;
	}

	/** Where to reach each part. */
	public List<String> urls() {
		List<String> lines = new ArrayList<>();
		for (StackPorts.RolePorts role : this.ports.roles()) {
			lines.add(String.format(
					"%-14s http://127.0.0.1:%d   sidecar http://127.0.0.1:%d   sidecar metrics "
							+ "http://127.0.0.1:%d/metrics",
					role.role(), role.app(), role.daprHttp(), role.daprMetrics()));
		}
		lines.add(String.format("%-14s http://127.0.0.1:%d/zipkin/", "zipkin", this.ports.zipkin()));
		lines.add(String.format("%-14s 127.0.0.1:%d", "kafka", this.ports.kafka()));
		lines.add(String.format("%-14s jdbc:postgresql://127.0.0.1:%d/postgres (user postgres)", "postgres",
				this.ports.postgres()));
		return lines;
	}

	/**
	 * Starts the parts that are not running, all at once, and waits until each is
	 * healthy.
	 */
	public void startAll(List<String> names) {
		for (String name : names) {
			if (running(name).isPresent()) {
				progress(name + " is already running");
				continue;
			}
			launch(name);
		}
		for (String name : names) {
			awaitHealthy(name);
		}
		if (names.contains("kafka")) {
			createTopics();
		}
	}

	public void start(String name) {
		startAll(List.of(name));
	}

	/** Stops a part gracefully (SIGTERM, then SIGKILL after 15 s). */
	public boolean stop(String name) {
		return terminate(name, false);
	}

	/** Kills a part at once (SIGKILL), as a crash would. */
	public boolean kill(String name) {
		return terminate(name, true);
	}

	public Path log(String name) {
		return this.state.resolve("logs").resolve(name + ".log");
	}

	// --- the parts -------------------------------------------------------------------

	/**
	 * A process: its command is only worked out (files written, storage formatted) when
	 * it starts.
	 */
	private record Part(Supplier<List<String>> command, Map<String, String> environment, BooleanSupplier health) {
	}

	private Map<String, Part> parts() {
		Map<String, Part> parts = new LinkedHashMap<>();
		parts.put("postgres", new Part(
				// 64 MB ran out of heap unpacking the binaries (xz) on a fresh machine
				() -> javaCommand(List.of("-Xmx256m"), StackPostgres.class.getName(),
						this.state.resolve("postgres").toString(), Integer.toString(this.ports.postgres())),
				Map.of(), () -> isListening(this.ports.postgres())));
		parts.put("kafka",
				new Part(() -> javaCommand(List.of("-Xmx512m", "-Xms256m"), "kafka.Kafka", kafkaConfig().toString()),
						Map.of(), this::kafkaReady));
		parts.put("zipkin", new Part(() -> List.of(java(), "-Xmx256m", "-jar", file("target/stack/zipkin-server.jar")),
				// in-memory storage keeps 500,000 spans by default, more than a 256 MB
				// heap
				// holds: under load (scripts/bench) Zipkin then spent whole cores on GC
				Map.of("QUERY_PORT", Integer.toString(this.ports.zipkin()), "JAVA_OPTS", "", "MEM_MAX_SPANS", "50000"),
				() -> httpOk("http://127.0.0.1:" + this.ports.zipkin() + "/health")));
		for (StackPorts.RolePorts role : this.ports.roles()) {
			parts.put(role.role(), new Part(() -> List.of(java(), "-Xmx256m", "-jar", appJar()), appEnvironment(role),
					() -> httpOk("http://127.0.0.1:" + managementPort(role) + "/actuator/health/readiness")));
			Map<String, String> sidecarEnvironment = new LinkedHashMap<>(daprEnvironment());
			sidecarEnvironment.put("KAFKA_BROKERS", "127.0.0.1:" + this.ports.kafka());
			parts.put(role.role() + "-dapr",
					new Part(() -> daprdCommand(role.role(), role.app(), role, daprResources()), sidecarEnvironment,
							() -> httpOk("http://127.0.0.1:" + role.daprHttp() + "/v1.0/healthz")));
		}
		parts.putAll(this.extraParts);
		return parts;
	}

	private Map<String, String> appEnvironment(StackPorts.RolePorts role) {
		Map<String, String> env = new LinkedHashMap<>();
		env.put("TASKSTREAM_ROLES", role.role());
		env.put("SERVER_PORT", Integer.toString(role.app()));
		env.put("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:" + this.ports.postgres() + "/postgres");
		env.put("SPRING_DATASOURCE_USERNAME", "postgres");
		env.put("TASKSTREAM_EVENTS_TRANSPORT", "dapr");
		env.put("DAPR_HTTP_PORT", Integer.toString(role.daprHttp()));
		env.put("SPRING_APPLICATION_NAME", "taskstream-" + role.role());
		env.put("TASKSTREAM_TRACING_EXPORT", "true");
		env.put("ZIPKIN_ENDPOINT", "http://127.0.0.1:" + this.ports.zipkin() + "/api/v2/spans");
		env.putAll(securityEnvironment(role));
		env.putAll(this.environment);
		env.putAll(daprEnvironment());
		return env;
	}

	/** The API tokens, when set, go to both the app and its sidecar. */
	private Map<String, String> daprEnvironment() {
		Map<String, String> env = new LinkedHashMap<>();
		for (String name : List.of("APP_API_TOKEN", "DAPR_API_TOKEN")) {
			String value = this.environment.getOrDefault(name, System.getenv(name));
			if (value != null && !value.isBlank()) {
				env.put(name, value);
			}
		}
		env.putIfAbsent("APP_API_TOKEN", stackSecret("app-api-token", () -> UUID.randomUUID().toString()));
		return env;
	}

	// ---- security (issue 13): the stack's own dev issuer key and app token, and the
	// roles' management ports. Generated at run time under the state directory, never
	// committed; every role of the stack reads the same files.

	/** Where a role's actuator listens: its app port + 1000 (8080 -> 9080). */
	public static int managementPort(StackPorts.RolePorts role) {
		return role.app() + 1000;
	}

	/**
	 * The dev issuer on, with a key the roles share (so each accepts the others' tokens,
	 * as with one real issuer), and the actuator on its management port.
	 */
	private Map<String, String> securityEnvironment(StackPorts.RolePorts role) {
		Map<String, String> env = new LinkedHashMap<>();
		env.put("TASKSTREAM_IDENTITY_DEV_ISSUER_ENABLED", "true");
		env.put("TASKSTREAM_IDENTITY_DEV_ISSUER_KEY_FILE", this.state.resolve("dev-issuer-key.pem").toString());
		stackSecret("dev-issuer-key.pem", LocalStack::newDevIssuerKey);
		env.put("MANAGEMENT_PORT", Integer.toString(managementPort(role)));
		return env;
	}

	/** The content of a secret file under the state directory, made once per stack. */
	private synchronized String stackSecret(String name, Supplier<String> generate) {
		Path file = this.state.resolve(name);
		try {
			if (!Files.exists(file)) {
				Files.createDirectories(this.state);
				Path written = Files.writeString(Files.createTempFile(this.state, name, ".tmp"), generate.get());
				Files.move(written, file, StandardCopyOption.ATOMIC_MOVE);
			}
			return Files.readString(file).strip();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A PKCS#8 PEM RSA key, as {@code openssl genpkey -algorithm RSA} writes it. */
	private static String newDevIssuerKey() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
			return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pkcs8)
					+ "\n-----END PRIVATE KEY-----\n";
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	// ---- end of security (issue 13)

	/**
	 * @param appPort the app's port, or {@code null} for a sidecar without an app
	 */
	private List<String> daprdCommand(String appId, Integer appPort, StackPorts.RolePorts role, Path resources) {
		List<String> command = new ArrayList<>(List.of(Daprd.path(this.repo).toString(), "--app-id", appId));
		if (appPort != null) {
			command.addAll(List.of("--app-port", Integer.toString(appPort), "--app-protocol", "http",
					"--app-channel-address", "127.0.0.1"));
		}
		command.addAll(List.of("--dapr-listen-addresses", "127.0.0.1", "--dapr-http-port",
				Integer.toString(role.daprHttp()), "--dapr-grpc-port", Integer.toString(role.daprGrpc()),
				"--dapr-internal-grpc-port", Integer.toString(role.daprInternalGrpc()), "--metrics-port",
				Integer.toString(role.daprMetrics()), "--config", daprConfig().toString(), "--log-level", "info"));
		// No --enable-app-health-check: in daprd 1.18 a sidecar that had paused delivery
		// for an
		// unhealthy app sometimes never fetched again after the app came back (E2E
		// SIGKILL
		// test); the bounded delivery retries of dapr-config/resiliency.yaml (about 2.5
		// minutes in all) cover an app restart instead.
		command.add("--resources-path");
		command.add(resources.toString());
		return command;
	}

	// --- Dapr resources ------------------------------------------------------------

	/**
	 * The components, subscriptions and resiliency as daprd loads them: the repository's
	 * files. Files are only written when they change: running sidecars watch this folder
	 * and reload (restarting their subscriptions) on any write.
	 */
	private Path daprResources() {
		Path dir = this.state.resolve("dapr/resources");
		Map<String, String> wanted = new LinkedHashMap<>();
		wanted.putAll(localised(this.repo.resolve("components")));
		wanted.putAll(localised(this.repo.resolve("dapr-config").resolve("resiliency.yaml")));
		sync(dir, wanted);
		return dir;
	}

	/**
	 * The sidecars' Configuration; {@code TASKSTREAM_TRACING_SAMPLING}, when this stack's
	 * environment sets it, is the sidecars' sampling rate too, as it is the apps'.
	 */
	private Path daprConfig() {
		Path dir = this.state.resolve("dapr/config");
		Map<String, String> files = localised(this.repo.resolve("dapr-config").resolve("config.yaml"));
		String sampling = this.environment.get("TASKSTREAM_TRACING_SAMPLING");
		if (sampling != null && !sampling.isBlank()) {
			files.replaceAll((file, text) -> text.replace("samplingRate: \"1\"", "samplingRate: \"" + sampling + "\""));
		}
		sync(dir, files);
		return dir.resolve("config.yaml");
	}

	/**
	 * The YAML files of a folder (or one file) by name, with this stack's Zipkin port.
	 */
	private Map<String, String> localised(Path source) {
		Map<String, String> files = new LinkedHashMap<>();
		try (Stream<Path> walk = Files.isDirectory(source) ? Files.list(source) : Stream.of(source)) {
			for (Path file : walk.filter((f) -> f.toString().endsWith(".yaml")).sorted().toList()) {
				files.put(file.getFileName().toString(),
						Files.readString(file).replace("127.0.0.1:9411", "127.0.0.1:" + this.ports.zipkin()));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return files;
	}

	/** Makes the folder hold exactly these files, touching only what differs. */
	private static void sync(Path dir, Map<String, String> wanted) {
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

	// --- Kafka ---------------------------------------------------------------------

	private Path kafkaConfig() {
		Path dir = this.state.resolve("kafka");
		Path config = dir.resolve("server.properties");
		try {
			Files.createDirectories(dir.resolve("data"));
			Properties properties = new Properties();
			properties.setProperty("process.roles", "broker,controller");
			properties.setProperty("node.id", "1");
			properties.setProperty("controller.quorum.voters", "1@127.0.0.1:" + this.ports.kafkaController());
			properties.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + this.ports.kafka()
					+ ",CONTROLLER://127.0.0.1:" + this.ports.kafkaController());
			properties.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + this.ports.kafka());
			properties.setProperty("controller.listener.names", "CONTROLLER");
			properties.setProperty("inter.broker.listener.name", "PLAINTEXT");
			properties.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
			properties.setProperty("log.dirs", dir.resolve("data").toString());
			properties.setProperty("auto.create.topics.enable", "false");
			properties.setProperty("num.partitions", Integer.toString(PARTITIONS));
			properties.setProperty("offsets.topic.replication.factor", "1");
			properties.setProperty("offsets.topic.num.partitions", "4");
			properties.setProperty("transaction.state.log.replication.factor", "1");
			properties.setProperty("transaction.state.log.min.isr", "1");
			properties.setProperty("share.coordinator.state.topic.replication.factor", "1");
			properties.setProperty("share.coordinator.state.topic.min.isr", "1");
			properties.setProperty("group.initial.rebalance.delay.ms", "0");
			try (var out = Files.newBufferedWriter(config)) {
				properties.store(out, "Written by the Taskstream local stack");
			}
			if (!Files.exists(dir.resolve("data/meta.properties"))) {
				progress("kafka: formatting storage");
				run(javaCommand(List.of("-Xmx256m"), "kafka.tools.StorageTool", "format", "-t",
						Uuid.randomUuid().toString(), "-c", config.toString(), "--ignore-formatted"),
						log("kafka-format"));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return config;
	}

	private Admin admin() {
		return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + this.ports.kafka(),
				AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
				5000));
	}

	private boolean kafkaReady() {
		if (!isListening(this.ports.kafka())) {
			return false;
		}
		try (Admin admin = admin()) {
			return !admin.describeCluster().nodes().get().isEmpty();
		}
		catch (ExecutionException | RuntimeException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private void createTopics() {
		for (String topic : TOPICS) {
			createTopic(topic, PARTITIONS);
		}
	}

	/** Creates a topic on this stack's broker unless it exists. */
	public void createTopic(String topic, int partitions) {
		try (Admin admin = admin()) {
			admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
			progress("kafka: created topic " + topic + " (" + partitions + " partitions)");
		}
		catch (ExecutionException ex) {
			if (!(ex.getCause() instanceof TopicExistsException)) {
				throw new IllegalStateException("creating topic " + topic + " failed", ex.getCause());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	// --- processes -----------------------------------------------------------------

	private void launch(String name) {
		Part part = parts().get(name);
		if (part == null) {
			throw new IllegalArgumentException("no part " + name + "; parts: " + parts().keySet());
		}
		try {
			Files.createDirectories(this.state.resolve("pids"));
			Files.createDirectories(this.state.resolve("logs"));
			List<String> command = new ArrayList<>();
			if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
				// its own session: a Ctrl-C at the terminal that ran "stack up" does not
				// reach it
				command.add("/usr/bin/setsid");
			}
			command.addAll(part.command().get());
			ProcessBuilder builder = new ProcessBuilder(command).directory(this.repo.toFile())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log(name).toFile()))
				.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
			builder.environment().putAll(part.environment());
			Process process = builder.start();
			Files.writeString(pidFile(name), Long.toString(process.pid()));
			progress("started " + name + " (pid " + process.pid() + ")");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("starting " + name + " failed", ex);
		}
	}

	private void awaitHealthy(String name) {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		long started = System.nanoTime();
		BooleanSupplier health = parts().get(name).health();
		while (!health.getAsBoolean()) {
			if (running(name).isEmpty()) {
				throw new IllegalStateException(
						name + " exited during start-up; the end of " + log(name) + ":\n" + tail(log(name), 40));
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(name + " was not healthy after " + START_TIMEOUT.toSeconds()
						+ " s; the end of " + log(name) + ":\n" + tail(log(name), 40));
			}
			sleep(250);
		}
		progress(String.format("%s healthy after %.1f s", name, (System.nanoTime() - started) / 1e9));
	}

	private boolean healthy(String name) {
		return parts().get(name).health().getAsBoolean();
	}

	private boolean terminate(String name, boolean kill) {
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
		long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
		while (handle.isAlive() && System.nanoTime() < deadline) {
			sleep(100);
		}
		if (handle.isAlive()) {
			handle.destroyForcibly();
		}
		descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
		while (handle.isAlive()) {
			sleep(50);
		}
		progress((kill ? "killed " : "stopped ") + name + " (pid " + handle.pid() + ")");
		return true;
	}

	/**
	 * PostgreSQL outlives its JVM if that JVM was killed; its own pid file says where it
	 * is.
	 */
	private void stopOrphanPostgres() {
		Path pidFile = this.state.resolve("postgres/postmaster.pid");
		if (!Files.exists(pidFile)) {
			return;
		}
		try {
			long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
			ProcessHandle.of(pid).ifPresent((postmaster) -> {
				postmaster.destroy();
				long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
				while (postmaster.isAlive() && System.nanoTime() < deadline) {
					sleep(100);
				}
				progress("stopped orphaned PostgreSQL (pid " + pid + ")");
			});
		}
		catch (IOException | RuntimeException ex) {
			progress("could not read " + pidFile + ": " + ex.getMessage());
		}
	}

	private Optional<ProcessHandle> running(String name) {
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

	private Path pidFile(String name) {
		return this.state.resolve("pids").resolve(name + ".pid");
	}

	private Map<String, Integer> allPorts() {
		Map<String, Integer> all = new LinkedHashMap<>();
		all.put("postgres", this.ports.postgres());
		all.put("kafka", this.ports.kafka());
		all.put("kafka-controller", this.ports.kafkaController());
		all.put("zipkin", this.ports.zipkin());
		for (StackPorts.RolePorts role : this.ports.roles()) {
			all.put(role.role(), role.app());
			all.put(role.role() + "-dapr-http", role.daprHttp());
			all.put(role.role() + "-dapr-grpc", role.daprGrpc());
			all.put(role.role() + "-dapr-internal", role.daprInternalGrpc());
			all.put(role.role() + "-dapr-metrics", role.daprMetrics());
		}
		return all;
	}

	// --- helpers -------------------------------------------------------------------

	private List<String> javaCommand(List<String> jvmOptions, String mainClass, String... args) {
		List<String> command = new ArrayList<>();
		command.add(java());
		command.addAll(jvmOptions);
		command.add("-cp");
		command.add(classpath());
		command.add(mainClass);
		command.addAll(List.of(args));
		return command;
	}

	private String classpath() {
		Path file = this.repo.resolve("target/stack/classpath.txt");
		try {
			return this.repo.resolve("target/test-classes") + java.io.File.pathSeparator
					+ this.repo.resolve("target/classes") + java.io.File.pathSeparator + Files.readString(file).trim();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(file + " is missing: build first (./mvnw -DskipTests package)", ex);
		}
	}

	private String appJar() {
		try (Stream<Path> files = Files.list(this.repo.resolve("target"))) {
			return files.filter((file) -> file.getFileName().toString().matches("taskstream-.*\\.jar"))
				.findFirst()
				.orElseThrow(
						() -> new IllegalStateException("no target/taskstream-*.jar: run ./mvnw -DskipTests package"))
				.toString();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private String file(String relative) {
		Path path = this.repo.resolve(relative);
		if (!Files.exists(path)) {
			throw new IllegalStateException(path + " is missing: run ./mvnw -DskipTests package");
		}
		return path.toString();
	}

	private static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private void run(List<String> command, Path log) throws IOException {
		Files.createDirectories(log.getParent());
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.start();
		try {
			if (process.waitFor() != 0) {
				throw new IllegalStateException(String.join(" ", command.subList(0, 1)) + " failed:\n" + tail(log, 20));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	boolean httpOk(String url) {
		try {
			HttpResponse<Void> response = this.http.send(
					HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
					HttpResponse.BodyHandlers.discarding());
			return response.statusCode() / 100 == 2;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	static boolean isListening(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	static String tail(Path file, int lines) {
		try {
			List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
			return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static void progress(String message) {
		System.out.println("[stack] " + message);
		System.out.flush();
	}

	/** {@code up | down | status | urls | start <part> | stop <part> | kill <part>}. */
	public static void main(String[] args) {
		LocalStack stack = LocalStack.of(Path.of(System.getProperty("taskstream.repo", ".")));
		String command = (args.length > 0) ? args[0] : "status";
		switch (command) {
			case "up" -> {
				stack.up();
				stack.urls().forEach(System.out::println);
			}
			case "down" -> stack.down();
			case "status" -> stack.status().forEach(System.out::println);
			case "urls" -> stack.urls().forEach(System.out::println);
			case "start" -> stack.start(args[1]);
			case "stop" -> stack.stop(args[1]);
			case "kill" -> stack.kill(args[1]);
			default -> {
				System.err.println("usage: LocalStack up|down|status|urls|start <part>|stop <part>|kill <part>");
				System.exit(2);
			}
		}
	}

}
