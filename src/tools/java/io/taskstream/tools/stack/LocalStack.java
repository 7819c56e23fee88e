package io.taskstream.tools.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Starts, checks and stops the local stack's processes: PostgreSQL
 * ({@link StackPostgres}), Kafka ({@link StackKafka}), Zipkin, and per role the app
 * ({@code tasks}, ...) and its sidecar ({@code tasks-dapr}, ...). {@link Processes} keeps
 * their pids and logs under the state folder, so {@code down} can stop exactly what
 * {@code up} started, from another JVM.
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

	private final RoleEnvironment environment;

	private final Artifacts artifacts;

	private final Processes processes;

	private final StackKafka kafka;

	private final DaprResources dapr;

	private final PortCheck portCheck = new PortCheck();

	/** Whether Kafka runs secured (SASL_SSL, ACLs; issue 17): {@code up --secure}. */
	private final boolean secured;

	/** Who each sidecar logs in to the secured broker as, and where its secrets are. */
	private final SecuredKafka securedKafka;

	/** Apps of other teams attached with their own sidecar ({@code attach}). */
	private final AttachedApps attachedApps;

	/** Sidecars without an app that a caller added, e.g. the benchmark's publisher. */
	private final Map<String, Part> extraParts = new LinkedHashMap<>();

	/**
	 * @param environment set for every app (e.g.
	 * {@code TASKSTREAM_WEBHOOKS_ALLOW_PRIVATE_TARGETS}), and the API tokens for every
	 * sidecar too; the caller's environment fills what is not set
	 */
	public LocalStack(Path repo, Path state, StackPorts ports, Map<String, String> environment) {
		this(repo, state, ports, environment, false);
	}

	/**
	 * @param secured Kafka with SASL_SSL, TLS to the controller and per-role ACLs
	 * ({@link KafkaAccess}); a state folder once started secured stays secured
	 */
	public LocalStack(Path repo, Path state, StackPorts ports, Map<String, String> environment, boolean secured) {
		this(repo, state, ports, environment, secured, 0);
	}

	/**
	 * @param kafkaNodes how many Kafka nodes ({@code up --kafka-nodes 3}: a cluster,
	 * issue 18), or 0 for as many as this state folder last ran (1 for a new one)
	 */
	public LocalStack(Path repo, Path state, StackPorts ports, Map<String, String> environment, boolean secured,
			int kafkaNodes) {
		this.repo = repo.toAbsolutePath();
		this.state = state.toAbsolutePath();
		this.ports = ports;
		this.artifacts = new Artifacts(this.repo);
		this.processes = new Processes(this.repo, this.state);
		this.attachedApps = new AttachedApps(this.state);
		this.secured = secured || SecuredKafka.markedIn(this.state);
		this.dapr = new DaprResources(this.repo, this.state, ports.zipkin(),
				environment.get("TASKSTREAM_TRACING_SAMPLING"));
		this.securedKafka = new SecuredKafka(this.state, this.dapr);
		this.kafka = new StackKafka(this.state, ports, this.artifacts, this.secured ? this.securedKafka::secrets : null,
				(kafkaNodes > 0) ? kafkaNodes : kafkaNodesIn(this.state));
		this.environment = new RoleEnvironment(ports, environment, System::getenv, new StackSecrets(this.state),
				this.kafka.bootstrap());
	}

	/** How many Kafka nodes the state folder last ran: 1 unless it ran a cluster. */
	static int kafkaNodesIn(Path state) {
		Path marker = state.resolve("kafka-nodes");
		try {
			return Files.exists(marker) ? Integer.parseInt(Files.readString(marker).trim()) : 1;
		}
		catch (IOException | NumberFormatException ex) {
			return 1;
		}
	}

	/**
	 * The stack of the repository at {@code repo}; state under
	 * {@code TASKSTREAM_STACK_DIR} or {@code .stack}.
	 */
	public static LocalStack of(Path repo, boolean secured) {
		return of(repo, secured, 0);
	}

	/**
	 * The same, with {@code kafkaNodes} Kafka nodes (0: as the state folder last ran).
	 */
	public static LocalStack of(Path repo, boolean secured, int kafkaNodes) {
		String dir = System.getenv("TASKSTREAM_STACK_DIR");
		Path state = (dir != null && !dir.isBlank()) ? Path.of(dir) : repo.resolve(".stack");
		return new LocalStack(repo, state, StackPorts.fromEnvironment(), Map.of(), secured, kafkaNodes);
	}

	/** How many Kafka nodes this stack runs. */
	public int kafkaNodes() {
		return this.kafka.nodes();
	}

	/** The Kafka parts: {@code kafka}, or {@code kafka-1}... in a cluster. */
	public List<String> kafkaParts() {
		return this.kafka.partNames();
	}

	/**
	 * The Kafka node (its {@code node.id}) a part runs, or 0 if it is not a Kafka part.
	 */
	public int kafkaNode(String part) {
		return this.kafka.node(part);
	}

	/** The Kafka part that runs node {@code id}. */
	public String kafkaPart(int id) {
		return this.kafka.partName(id);
	}

	/** Every Kafka node's client listener, comma-separated. */
	public String kafkaBootstrap() {
		return this.kafka.bootstrap();
	}

	/** Each partition's leader node id (-1: none) of a topic, by partition. */
	public Map<Integer, Integer> kafkaLeaders(String topic) {
		return this.kafka.leaders(topic);
	}

	/** Each partition's end offset (records it holds) of a topic, by partition. */
	public Map<Integer, Long> kafkaEndOffsets(String topic) {
		return this.kafka.endOffsets(topic);
	}

	/** The partitions of these topics whose in-sync replicas are fewer than replicas. */
	public int kafkaUnderReplicated(List<String> topics) {
		return this.kafka.underReplicated(topics);
	}

	private List<String> infrastructure() {
		List<String> names = new ArrayList<>(List.of("postgres"));
		names.addAll(this.kafka.partNames());
		names.add("zipkin");
		return names;
	}

	public boolean secured() {
		return this.secured;
	}

	/**
	 * The settings of a Java Kafka client of this stack's broker; on the secured broker
	 * it logs in as {@code user} with {@code password} over SASL_SSL and trusts the local
	 * CA.
	 */
	public Map<String, Object> kafkaClient(String user, String password) {
		return this.kafka.client(user, password);
	}

	/**
	 * The SCRAM password of a role (or of {@code kafka-broker}) on the secured broker.
	 */
	public String kafkaPassword(String user) {
		return this.securedKafka.password(user);
	}

	/**
	 * From its next start, the role's sidecar logs in to the secured broker as
	 * {@code user} with {@code password} instead of as itself (tests: wrong credentials);
	 * {@code null} goes back to its own.
	 */
	public void useKafkaLogin(String role, String user, String password) {
		this.securedKafka.useLogin(role, user, password);
	}

	/** The resources folder of a role's sidecar: shared, or its own when secured. */
	private Path sidecarResources(String role) {
		return this.secured ? this.securedKafka.resources(role) : this.dapr.resources();
	}

	public StackPorts ports() {
		return this.ports;
	}

	public Path state() {
		return this.state;
	}

	/**
	 * Starts every part that is not running and waits until all are healthy; first checks
	 * that all their ports are free. If one fails, stops those it started.
	 */
	public void up() {
		long started = System.nanoTime();
		progress("state in " + this.state + (this.secured ? " (Kafka secured: SASL_SSL, ACLs)" : "")
				+ ((kafkaNodes() > 1) ? " (Kafka: " + kafkaNodes() + " nodes)" : ""));
		rememberKafkaNodes();
		List<String> apps = new ArrayList<>(StackPorts.ROLES);
		StackPorts.ROLES.forEach((role) -> apps.add(role + "-dapr"));
		List<String> everything = new ArrayList<>(infrastructure());
		everything.addAll(apps);
		checkPortsFree(everything);
		List<String> notRunning = everything.stream().filter((name) -> this.processes.running(name).isEmpty()).toList();
		try {
			startAll(infrastructure());
			startAll(apps);
		}
		catch (RuntimeException ex) {
			// a half-started stack holds ports and confuses the next "up": stop what this
			// run started (its logs stay)
			progress("start failed: stopping the " + notRunning.size() + " parts this run started");
			for (int i = notRunning.size() - 1; i >= 0; i--) {
				this.processes.terminate(notRunning.get(i), false);
			}
			this.processes.stopOrphanPostgres();
			throw ex;
		}
		progress(String.format("stack up in %.0f s: %d processes healthy", (System.nanoTime() - started) / 1e9,
				parts().size()));
	}

	/**
	 * Stops every part this stack started, added sidecars and sidecars first, and checks
	 * their ports are free.
	 */
	public void down() {
		List<String> order = new ArrayList<>(
				this.processes.withPidFiles().stream().filter((name) -> !parts().containsKey(name)).toList());
		order.addAll(this.extraParts.keySet());
		this.attachedApps.list().forEach((app) -> order.add(app.part()));
		StackPorts.ROLES.forEach((role) -> order.add(role + "-dapr"));
		order.addAll(StackPorts.ROLES);
		order.add("zipkin");
		List<String> kafkaParts = new ArrayList<>(this.kafka.partNames());
		java.util.Collections.reverse(kafkaParts);
		order.addAll(kafkaParts);
		order.add("postgres");
		int stopped = 0;
		for (String part : order) {
			if (this.processes.terminate(part, false)) {
				stopped++;
			}
		}
		this.processes.stopOrphanPostgres();
		// an attached app's sidecar does not outlive the stack: attach it again after up
		this.attachedApps.list().forEach((app) -> this.attachedApps.remove(app.appId()));
		List<String> bound = this.ports.all()
			.entrySet()
			.stream()
			.filter((entry) -> Health.isListening(entry.getValue()))
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
		this.securedKafka.forget();
		if (!Files.exists(this.state)) {
			return;
		}
		try (Stream<Path> walk = Files.walk(this.state)) {
			for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
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
		this.extraParts.put(name,
				new Part(() -> Daprd.command(Daprd.path(this.repo), appId, null, ports, this.dapr.config(), resources),
						this.environment.forSidecar(), StackPorts.sidecar(ports),
						() -> Health.httpOk("http://127.0.0.1:" + ports.daprHttp() + "/v1.0/healthz")));
		start(name);
		return name;
	}

	/**
	 * Attaches an app of another team: writes its sidecar's resources (the component,
	 * Resiliency and Subscriptions with its app-id, as the chart's
	 * {@code externalSubscribers} renders them) under the state folder, starts the
	 * sidecar on free ports below 32768 and waits until it has its components.
	 * @return the attached app, with what its sidecar listens on and the app's
	 * environment
	 * @throws Attachment.Invalid when the app-id is attached already or the app port is
	 * one the stack or another attached app uses; nothing is started then
	 */
	public AttachedApp attach(Attachment attachment) {
		String part = AttachedApps.partName(attachment.appId());
		Optional<AttachedApps.Attached> earlier = this.attachedApps.find(attachment.appId());
		if (earlier.isPresent() && this.processes.running(part).isPresent()) {
			throw new Attachment.Invalid("'" + attachment.appId() + "' is attached already (sidecar pid "
					+ pid(part).orElseThrow() + "); scripts/stack detach " + attachment.appId() + " first");
		}
		earlier.ifPresent((stale) -> this.attachedApps.remove(stale.appId()));
		Map<String, Integer> taken = new LinkedHashMap<>(this.ports.all());
		for (AttachedApps.Attached other : this.attachedApps.list()) {
			taken.put(other.appId() + " app", other.attachment().appPort());
			taken.putAll(StackPorts.sidecar(other.sidecar()));
		}
		taken.entrySet()
			.stream()
			.filter((entry) -> entry.getValue() == attachment.appPort())
			.findFirst()
			.ifPresent((entry) -> {
				throw new Attachment.Invalid("--app-port " + attachment.appPort() + " is in use: it is the "
						+ entry.getKey() + " port of this stack; choose another");
			});
		// the command line first (exit 2), then whether the stack can take an app
		if (this.secured) {
			throw new IllegalStateException("attach needs the plain stack: on the secured broker (up --secure) an "
					+ "attached app's sidecar would need a Kafka user and ACLs of its own");
		}
		if (kafkaParts().stream().allMatch((kafka) -> this.processes.running(kafka).isEmpty())) {
			throw new IllegalStateException("the stack's Kafka is not running: scripts/stack up first");
		}
		AttachedApps.Attached app = AttachedApps.newAttached(attachment, freeSidecarPorts(attachment, taken));
		Map<String, String> component = this.dapr.localised(this.repo.resolve("components/pubsub-kafka.yaml"));
		Map<String, String> resiliency = this.dapr.localised(this.repo.resolve("dapr-config/resiliency.yaml"));
		this.attachedApps.save(app,
				attachment.resources(component.get("pubsub-kafka.yaml"), resiliency.get("resiliency.yaml")), this.repo);
		try {
			start(part);
		}
		catch (RuntimeException ex) {
			this.processes.terminate(part, false);
			this.attachedApps.remove(app.appId());
			throw ex;
		}
		return new AttachedApp(app.appId(), part, StackPorts.sidecar(app.sidecar()), app.appEnvironment(this.repo),
				this.attachedApps.environmentFile(app.appId()));
	}

	/**
	 * An app attached to the stack: its sidecar part, ports and the app's environment.
	 */
	public record AttachedApp(String appId, String part, Map<String, Integer> sidecarPorts,
			Map<String, String> environment, Path environmentFile) {
	}

	/** The first slot of sidecar ports that nothing uses; none in 32768-60999. */
	private StackPorts.RolePorts freeSidecarPorts(Attachment attachment, Map<String, Integer> taken) {
		for (int slot = 0; slot < AttachedApps.SLOTS; slot++) {
			StackPorts.RolePorts sidecar = this.ports.attached(slot, attachment.appId(), attachment.appPort());
			Map<String, Integer> wanted = StackPorts.sidecar(sidecar);
			if (wanted.values().stream().anyMatch(Attachment::ephemeral)) {
				throw new IllegalStateException("the attached sidecars' ports (from " + sidecar.daprHttp()
						+ ") would lie in Linux's ephemeral range 32768-60999; lower TASKS_DAPR_HTTP_PORT");
			}
			if (wanted.values().stream().noneMatch((port) -> taken.containsValue(port) || port == attachment.appPort())
					&& this.portCheck.busy(wanted).isEmpty()) {
				return sidecar;
			}
		}
		throw new Attachment.Invalid("no free ports for another sidecar: " + AttachedApps.SLOTS + " slots from port "
				+ this.ports.attached(0, attachment.appId(), 0).daprHttp() + " are taken");
	}

	/**
	 * Stops an attached app's sidecar and forgets it (its resources and environment
	 * file); its log stays.
	 * @throws Attachment.Invalid when no app is attached under that app-id
	 */
	public void detach(String appId) {
		if (this.attachedApps.find(appId).isEmpty()) {
			throw new Attachment.Invalid("no app is attached as '" + appId + "'; attached: "
					+ this.attachedApps.list().stream().map(AttachedApps.Attached::appId).toList());
		}
		this.processes.terminate(AttachedApps.partName(appId), false);
		this.attachedApps.remove(appId);
		progress("detached " + appId);
	}

	/** The app-ids of the attached apps. */
	public List<String> attached() {
		return this.attachedApps.list().stream().map(AttachedApps.Attached::appId).toList();
	}

	/**
	 * Adds (without starting) a second instance of a role: an app process as part
	 * {@code name} and its own sidecar as {@code <name>-dapr}, under the role's app-id
	 * (so in the role's consumer group), on {@code ports} (whose {@code role()} is the
	 * role). Start them with {@link #startAll}; {@link #down} stops them.
	 */
	public void addInstance(String name, StackPorts.RolePorts ports) {
		Map<String, Integer> appPorts = new LinkedHashMap<>();
		appPorts.put(name, ports.app());
		appPorts.put(name + "-management", ports.management());
		this.extraParts.put(name,
				new Part(() -> List.of(Artifacts.java(), "-Xmx256m", "-jar", this.artifacts.appJar()),
						this.environment.forApp(ports), appPorts,
						() -> Health.httpOk("http://127.0.0.1:" + ports.management() + "/actuator/health/readiness")));
		this.extraParts.put(name + "-dapr", new Part(
				() -> Daprd.command(Daprd.path(this.repo), ports.role(), ports.app(), ports, this.dapr.config(),
						sidecarResources(ports.role())),
				this.environment.forSidecar(), StackPorts.sidecar(ports),
				() -> Health.httpOk("http://127.0.0.1:" + ports.daprHttp() + "/v1.0/healthz")));
	}

	/** The pid of a running part. */
	public Optional<Long> pid(String name) {
		return this.processes.running(name).map(ProcessHandle::pid);
	}

	/** The names of the parts: infrastructure, apps, sidecars, then added sidecars. */
	public List<String> partNames() {
		return List.copyOf(parts().keySet());
	}

	/** A line per part: running or not, and healthy or not. */
	public List<String> status() {
		List<String> lines = new ArrayList<>();
		for (Map.Entry<String, Part> part : parts().entrySet()) {
			Optional<ProcessHandle> process = this.processes.running(part.getKey());
			lines.add(String.format("%-20s %-8s %-10s %s", part.getKey(), process.isPresent() ? "running" : "stopped",
					process.isPresent() && part.getValue().health().getAsBoolean() ? "healthy" : "-",
					process.map((p) -> "pid " + p.pid()).orElse("")));
		}
		for (AttachedApps.Attached app : this.attachedApps.list()) {
			lines.add(String.format("attached %s: app port %d, topics %s, sidecar %s (http %d, grpc %d)", app.appId(),
					app.attachment().appPort(), String.join(",", app.attachment().topics()), app.part(),
					app.sidecar().daprHttp(), app.sidecar().daprGrpc()));
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
		lines.add(String.format("%-14s %s", "kafka", this.kafka.bootstrap()));
		lines.add(String.format("%-14s jdbc:postgresql://127.0.0.1:%d/postgres (user postgres)", "postgres",
				this.ports.postgres()));
		return lines;
	}

	/**
	 * Starts the parts that are not running, all at once, and waits until each is
	 * healthy; first checks that their ports are free.
	 */
	public void startAll(List<String> names) {
		checkPortsFree(names);
		for (String name : names) {
			if (this.processes.running(name).isPresent()) {
				progress(name + " is already running");
				continue;
			}
			Part part = part(name);
			this.processes.launch(name, part.command().get(), part.environment());
		}
		for (String name : names) {
			this.processes.awaitHealthy(name, part(name).health(), START_TIMEOUT);
		}
		if (names.stream().anyMatch((name) -> this.kafka.node(name) > 0)) {
			int partitions = (kafkaNodes() == 1) ? PARTITIONS : StackKafka.CLUSTER_PARTITIONS;
			TOPICS.forEach((topic) -> createTopic(topic, partitions));
			this.kafka.applyAcls();
		}
	}

	public void start(String name) {
		startAll(List.of(name));
	}

	/**
	 * Starts a part without waiting for it to become healthy: for a test of a part that
	 * must not (a sidecar with a wrong Kafka password).
	 */
	public void launch(String name) {
		checkPortsFree(List.of(name));
		Part part = part(name);
		this.processes.launch(name, part.command().get(), part.environment());
	}

	/** Whether a part runs and passes its health check now. */
	public boolean healthy(String name) {
		return this.processes.running(name).isPresent() && part(name).health().getAsBoolean();
	}

	/** Stops a part gracefully (SIGTERM, then SIGKILL after 15 s). */
	public boolean stop(String name) {
		return this.processes.terminate(name, false);
	}

	/** Kills a part at once (SIGKILL), as a crash would. */
	public boolean kill(String name) {
		return this.processes.terminate(name, true);
	}

	/**
	 * Freezes a part (SIGSTOP to it and its children): it holds its sockets and answers
	 * nothing, as a stalled machine or a long GC pause would.
	 */
	public boolean freeze(String name) {
		return this.processes.signal(name, "STOP");
	}

	/** Lets a frozen part go on (SIGCONT). */
	public boolean thaw(String name) {
		return this.processes.signal(name, "CONT");
	}

	public Path log(String name) {
		return this.processes.log(name);
	}

	/** Creates a topic on this stack's broker unless it exists. */
	public void createTopic(String topic, int partitions) {
		this.kafka.createTopic(topic, partitions);
	}

	/**
	 * Fails, naming each busy port and who holds it, if a port of a part that is not
	 * running cannot be bound.
	 */
	void checkPortsFree(List<String> names) {
		Map<String, Integer> wanted = new LinkedHashMap<>();
		for (String name : names) {
			if (this.processes.running(name).isEmpty()) {
				wanted.putAll(part(name).ports());
			}
		}
		List<String> busy = this.portCheck.busy(wanted);
		if (!busy.isEmpty()) {
			throw new IllegalStateException("nothing started: " + busy.size() + " port(s) in use\n  "
					+ String.join("\n  ", busy) + "\nStop what holds them, or choose other ports "
					+ "(e.g. TASKS_PORT=18080, TASKS_DAPR_GRPC_PORT=...; see scripts/stack --help).");
		}
	}

	// --- the parts -------------------------------------------------------------------

	/**
	 * A process: its command is only worked out (files written, storage formatted) when
	 * it starts.
	 */
	private record Part(Supplier<List<String>> command, Map<String, String> environment, Map<String, Integer> ports,
			BooleanSupplier health) {
	}

	private Part part(String name) {
		Part part = parts().get(name);
		if (part == null) {
			throw new IllegalArgumentException("no part " + name + "; parts: " + parts().keySet());
		}
		return part;
	}

	private Map<String, Part> parts() {
		Map<String, Map<String, Integer>> partPorts = this.ports.byPart();
		Map<String, Part> parts = new LinkedHashMap<>();
		parts.put("postgres", new Part(
				// 64 MB ran out of heap unpacking the binaries (xz) on a fresh machine
				() -> this.artifacts.javaCommand(List.of("-Xmx256m"), StackPostgres.class.getName(),
						this.state.resolve("postgres").toString(), Integer.toString(this.ports.postgres())),
				Map.of(), partPorts.get("postgres"), () -> Health.isListening(this.ports.postgres())));
		for (int node = 1; node <= kafkaNodes(); node++) {
			int id = node;
			StackPorts.KafkaNodePorts nodePorts = this.ports.kafkaNode(id);
			String name = this.kafka.partName(id);
			parts.put(name,
					new Part(() -> this.kafka.command(id, log(name + "-format")), Map.of(),
							Map.of(name, nodePorts.client(), name + "-controller", nodePorts.controller()),
							() -> this.kafka.ready(id)));
		}
		parts.put("zipkin",
				new Part(
						() -> List.of(Artifacts.java(), "-Xmx256m", "-jar",
								this.artifacts.file("target/stack/zipkin-server.jar")),
						// in-memory storage keeps 500,000 spans by default, more than a
						// 256 MB heap
						// holds: under load (scripts/bench) Zipkin then spent whole cores
						// on GC
						Map.of("QUERY_PORT", Integer.toString(this.ports.zipkin()), "JAVA_OPTS", "", "MEM_MAX_SPANS",
								"50000"),
						partPorts.get("zipkin"),
						() -> Health.httpOk("http://127.0.0.1:" + this.ports.zipkin() + "/health")));
		for (StackPorts.RolePorts role : this.ports.roles()) {
			parts.put(role.role(), new Part(
					() -> List.of(Artifacts.java(), "-Xmx" + this.environment.heap(role.role()), "-jar",
							this.artifacts.appJar()),
					this.environment.forApp(role), partPorts.get(role.role()),
					() -> Health.httpOk("http://127.0.0.1:" + role.management() + "/actuator/health/readiness")));
			parts.put(role.role() + "-dapr",
					new Part(
							() -> Daprd.command(Daprd.path(this.repo), role.role(), role.app(), role,
									this.dapr.config(), sidecarResources(role.role())),
							this.environment.forSidecar(), partPorts.get(role.role() + "-dapr"),
							() -> Health.httpOk("http://127.0.0.1:" + role.daprHttp() + "/v1.0/healthz")));
		}
		for (AttachedApps.Attached app : this.attachedApps.list()) {
			// healthz/outbound: the sidecar is up and has its components; the app may
			// start
			// before or after it (the sidecar connects once the app listens)
			parts.put(app.part(), new Part(
					() -> Daprd.command(Daprd.path(this.repo), app.appId(), app.attachment().appPort(), app.sidecar(),
							this.dapr.config(), this.attachedApps.resources(app.appId())),
					app.sidecarEnvironment(this.ports.kafka()), StackPorts.sidecar(app.sidecar()),
					() -> Health.httpOk("http://127.0.0.1:" + app.sidecar().daprHttp() + "/v1.0/healthz/outbound")));
		}
		parts.putAll(this.extraParts);
		return parts;
	}

	private void rememberKafkaNodes() {
		try {
			Files.createDirectories(this.state);
			Files.writeString(this.state.resolve("kafka-nodes"), Integer.toString(kafkaNodes()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static void progress(String message) {
		System.out.println("[stack] " + message);
		System.out.flush();
	}

}
