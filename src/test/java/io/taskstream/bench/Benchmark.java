package io.taskstream.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.taskstream.DevTokens;
import io.taskstream.stack.LocalStack;
import io.taskstream.stack.StackPorts;

/**
 * {@code scripts/bench}: starts (or reuses) the benchmark's own local stack, warms it up,
 * runs every scenario next to its baseline, and writes {@code bench/results/}. Usage:
 * {@code Benchmark [--quick] [--reuse] [--keep] [--no-tracing] [--sha <git sha>] [--load <text>]}.
 */
public final class Benchmark {

	/** Callers for the closed-loop publish scenarios (raw sync, Dapr single and bulk). */
	static final int CALLERS = 16;

	static final String BENCH_APP = "bench";

	static final String PUBSUB = "bench-pubsub";

	private static final StackPorts.RolePorts BENCH_SIDECAR = new StackPorts.RolePorts(BENCH_APP, 0, 23510, 24051,
			24052, 29199);

	private static final List<String> SUBSCRIBERS = List.of("analytics", "notifications", "audit");

	private final Options options;

	private final LocalStack stack;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final List<Scenario> scenarios = new ArrayList<>();

	private final List<String> notes = new ArrayList<>();

	private final String runId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);

	private final AtomicLong taskCounter = new AtomicLong();

	/**
	 * Below this many cores busy (the stack, not the load generator), the stack is quiet.
	 */
	private static final double QUIET_CORES = 0.3;

	/** How often the drain checks whether every subscriber has every event. */
	private static final Duration DRAIN_POLL = Duration.ofSeconds(2);

	private static final String LOAD_GENERATOR = "load generator";

	/** Per scenario, how long the stack took to go quiet before it. */
	private final Map<String, Double> quiesced = new LinkedHashMap<>();

	private ProcessUsage usage;

	private Connection db;

	private String payload;

	record Options(boolean quick, boolean reuse, boolean keep, boolean noTracing, String sha, String load) {

		static Options parse(String... args) {
			boolean quick = false;
			boolean reuse = false;
			boolean keep = false;
			boolean noTracing = false;
			String sha = "unknown";
			String load = "";
			for (int i = 0; i < args.length; i++) {
				switch (args[i]) {
					case "--quick" -> quick = true;
					case "--reuse" -> reuse = true;
					case "--keep" -> keep = true;
					case "--no-tracing" -> noTracing = true;
					case "--sha" -> sha = args[++i];
					case "--load" -> load = args[++i];
					default -> throw new IllegalArgumentException("unknown option " + args[i]);
				}
			}
			return new Options(quick, reuse, keep, noTracing, sha, load);
		}

		/** The length of a measured phase: full, or a few seconds for a smoke run. */
		double seconds(double full) {
			return this.quick ? Math.min(full, 4) : full;
		}

	}

	/** The bench users' tokens, from the tasks role's dev issuer. */
	private final DevTokens tokens;

	Benchmark(Options options, LocalStack stack) {
		this.options = options;
		this.stack = stack;
		this.tokens = DevTokens.onPort(stack.ports().of("tasks").app());
	}

	public static void main(String[] args) throws Exception {
		Options options = Options.parse(args);
		Path repo = Path.of(System.getProperty("taskstream.repo", ".")).toAbsolutePath().normalize();
		String dir = System.getenv("TASKSTREAM_BENCH_DIR");
		Path state = (dir != null && !dir.isBlank()) ? Path.of(dir) : repo.resolve(".bench-stack");
		Map<String, String> environment = new HashMap<>();
		if (options.noTracing()) {
			environment.put("TASKSTREAM_TRACING_SAMPLING", "0");
		}
		// it measures the system, not the per-user write quota: 50 users at up to 1000
		// writes/s
		environment.put("TASKSTREAM_QUOTAS_WRITES_PER_SECOND", "100000");
		environment.put("TASKSTREAM_QUOTAS_WRITE_BURST", "100000");
		LocalStack stack = new LocalStack(repo, state, StackPorts.forBench(), environment);
		Benchmark benchmark = new Benchmark(options, stack);
		long started = System.nanoTime();
		AtomicBoolean stopped = new AtomicBoolean();
		Runnable stop = () -> {
			if (!options.reuse() && !options.keep() && stopped.compareAndSet(false, true)) {
				progress("stopping the benchmark stack (--keep leaves it running)");
				stack.down();
			}
		};
		// Ctrl-C runs shutdown hooks, not finally blocks
		Thread hook = new Thread(stop, "bench-stack-down");
		Runtime.getRuntime().addShutdownHook(hook);
		Results results;
		try {
			benchmark.startStack(state);
			benchmark.runAll();
		}
		finally {
			if (benchmark.db != null) {
				benchmark.db.close();
			}
			stop.run();
			Runtime.getRuntime().removeShutdownHook(hook);
		}
		results = benchmark.results((System.nanoTime() - started) / 1e9);
		Path written = write(repo, results);
		String markdown = Report.markdown(results);
		System.out.println();
		System.out.println(markdown);
		long met = results.targets().stream().filter((t) -> Boolean.TRUE.equals(t.met())).count();
		progress(String.format(Locale.ROOT, "done in %.0f s: %d scenarios, %d of %d targets met; %s and %s",
				results.runSeconds(), results.scenarios().size(), met, results.targets().size(),
				repo.relativize(written), "its latest*.md"));
	}

	// --- stack ---------------------------------------------------------------------

	private void startStack(Path state) throws IOException, SQLException {
		if (!this.options.reuse()) {
			progress("fresh benchmark stack in " + state + " (--reuse keeps a running one)");
			this.stack.downAndWipe();
		}
		this.stack.up();
		this.stack.startSidecar(BENCH_APP, BENCH_SIDECAR, benchResources(state));
		this.stack.createTopic("bench.raw", 4);
		this.stack.createTopic("bench.dapr", 4);
		this.stack.createTopic("bench.e2e", 1);
		Map<String, Long> pids = new LinkedHashMap<>();
		for (String part : this.stack.partNames()) {
			this.stack.pid(part).ifPresent((pid) -> pids.put(part, pid));
		}
		// PostgreSQL's server daemonizes away from its launcher JVM: follow the
		// postmaster
		// and its backends instead
		Path postmaster = state.resolve("postgres/postmaster.pid");
		pids.put("postgres", Long.parseLong(Files.readAllLines(postmaster).get(0).trim()));
		pids.put(LOAD_GENERATOR, ProcessHandle.current().pid());
		this.usage = new ProcessUsage(pids, Set.of("postgres"));
		this.db = DriverManager.getConnection(
				"jdbc:postgresql://127.0.0.1:" + this.stack.ports().postgres() + "/postgres", "postgres", "");
	}

	/**
	 * The benchmark sidecar's one component: Kafka like the roles' (same type, no auth),
	 * under its own name, with no subscriptions and none of the roles' topics.
	 */
	private static Path benchResources(Path state) throws IOException {
		Path dir = state.resolve("bench-dapr/resources");
		Files.createDirectories(dir);
		Files.writeString(dir.resolve("bench-pubsub.yaml"), """
				apiVersion: dapr.io/v1alpha1
				kind: Component
				metadata:
				  name: %s
				spec:
				  type: pubsub.kafka
				  version: v1
				  metadata:
				    - name: brokers
				      envRef: KAFKA_BROKERS
				    - name: authType
				      value: "none"
				    - name: clientID
				      value: "taskstream-bench"
				    - name: allowedTopics
				      value: "bench.dapr"
				    - name: maxMessageBytes
				      value: "1048576"
				scopes:
				  - %s
				""".formatted(PUBSUB, BENCH_APP));
		return dir;
	}

	// --- the run -------------------------------------------------------------------

	void runAll() throws Exception {
		this.payload = realEvent();
		progress("payload: a real task.created CloudEvent of " + this.payload.getBytes(StandardCharsets.UTF_8).length
				+ " bytes from tasks.outbox");
		warmUp(this.options.seconds(30));

		double seconds = this.options.seconds(12);
		try (KafkaProducer<byte[], byte[]> batching = producer(5); KafkaProducer<byte[], byte[]> sync = producer(0)) {
			measure("raw-async", "1. raw Kafka producer, async, acks=all, linger 5 ms, 1 thread",
					() -> rawAsync(batching, seconds));
			Scenario rawSync = measure("raw-sync",
					"2. raw Kafka producer, one sync send at a time from " + CALLERS + " threads",
					() -> closedLoop(CALLERS, seconds, (i) -> sync.send(record("bench.raw", i)).get()));
			Scenario daprSingle = measure("dapr-single",
					"3. Dapr HTTP single publish from " + CALLERS + " callers → Kafka",
					() -> closedLoop(CALLERS, seconds, this::daprPublish));
			// Both at the same rate, half the saturation of the slower of the two, so
			// neither queues: the latency Dapr adds per publish.
			double rate = Math.floor(Math.min(rawSync.throughput(), daprSingle.throughput()) / 2 / 10) * 10;
			pacedPair(rate, seconds, (i) -> sync.send(record("bench.raw", i)).get());
			for (int size : List.of(10, 100)) {
				List<String> bodies = bulkBodies(size);
				measure("dapr-bulk-" + size,
						"4. Dapr bulk publish, batches of " + size + ", " + CALLERS + " callers (ops = events)",
						() -> bulk(bodies, size, seconds));
			}
		}
		measure("raw-e2e", "5. raw Kafka produce → consume, one record at a time", () -> rawEndToEnd(seconds));
		warmUpPipeline(this.options.seconds(60));
		pipelineSteps();
		drain(this.options.quick() ? 1_000 : 20_000);
	}

	/**
	 * Raw sync sends and Dapr single publishes at the same rate, in alternating rounds,
	 * so a burst of other load on the machine hits both alike.
	 */
	private void pacedPair(double rate, double seconds, OpenLoop.Call raw) throws Exception {
		int rounds = this.options.quick() ? 2 : 4;
		progress(String.format(Locale.ROOT, "raw-sync-paced and dapr-single-paced: %.0f/s each, %d alternating rounds",
				rate, rounds));
		quiesce("paced");
		Recorder rawRecorder = new Recorder(5_000_000);
		Recorder daprRecorder = new Recorder(5_000_000);
		Map<String, ProcessUsage.Usage> rawUsage = new LinkedHashMap<>();
		Map<String, ProcessUsage.Usage> daprUsage = new LinkedHashMap<>();
		double rawSeconds = 0;
		double daprSeconds = 0;
		for (int round = 0; round < rounds; round++) {
			this.usage.start();
			rawSeconds += new OpenLoop(rate, 256).run(seconds / rounds, raw, rawRecorder).seconds();
			add(rawUsage, this.usage.stop());
			this.usage.start();
			daprSeconds += new OpenLoop(rate, 256).run(seconds / rounds, this::daprPublish, daprRecorder).seconds();
			add(daprUsage, this.usage.stop());
		}
		record("raw-sync-paced",
				String.format(Locale.ROOT, "2. raw sync send, open loop at %.0f/s, alternating with Dapr", rate),
				new Measured(rawSeconds, rawRecorder.count(), rawRecorder.failures(), rawRecorder.latencies(), null),
				rawUsage);
		record("dapr-single-paced",
				String.format(Locale.ROOT, "3. Dapr single publish, open loop at %.0f/s, alternating with raw", rate),
				new Measured(daprSeconds, daprRecorder.count(), daprRecorder.failures(), daprRecorder.latencies(),
						null),
				daprUsage);
	}

	private static void add(Map<String, ProcessUsage.Usage> sum, Map<String, ProcessUsage.Usage> more) {
		more.forEach((name, usage) -> sum.merge(name, usage,
				(a, b) -> new ProcessUsage.Usage(round(a.cpuSeconds() + b.cpuSeconds()),
						Math.max(a.peakRssMb(), b.peakRssMb()))));
	}

	private Results results(double runSeconds) {
		String date = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
			.withZone(ZoneOffset.UTC)
			.format(Instant.now());
		String variant = this.options.noTracing() ? "tracing off (sampling 0, apps and sidecars)"
				: "tracing on (sampling 1, the production default)";
		List<String> notes = new ArrayList<>(this.notes);
		notes.add("Before each scenario the run waited for the stack to go quiet (under " + QUIET_CORES
				+ " cores busy for a second, at most 60 s); waits in s: " + this.quiesced + ".");
		return new Results(date, this.options.sha(), machine(), variant, this.options.quick(), this.options.load(),
				Math.round(runSeconds), List.copyOf(this.scenarios), Targets.evaluate(this.scenarios),
				List.copyOf(notes));
	}

	/** What a measured phase returns; the resources are added around it. */
	private record Measured(double seconds, long operations, long failures, Latencies latency,
			Scenario.Pipeline pipeline) {

		static Measured of(OpenLoop.Outcome outcome) {
			return new Measured(outcome.seconds(), outcome.recorder().count(), outcome.recorder().failures(),
					outcome.recorder().latencies(), null);
		}

	}

	private interface Phase {

		Measured run() throws Exception;

	}

	private Scenario measure(String id, String title, Phase phase) throws Exception {
		progress(id + ": " + title);
		quiesce(id);
		this.usage.start();
		Measured measured = phase.run();
		return record(id, title, measured, this.usage.stop());
	}

	/**
	 * Waits (at most a minute) until the stack is nearly idle, so a scenario does not pay
	 * for the last one's leftovers: Zipkin indexing its spans, Kafka flushing, GC.
	 */
	private void quiesce(String id) throws InterruptedException {
		long started = System.nanoTime();
		double before = this.usage.cpuSecondsExcept(LOAD_GENERATOR);
		while (System.nanoTime() - started < 60_000_000_000L) {
			Thread.sleep(1000);
			double now = this.usage.cpuSecondsExcept(LOAD_GENERATOR);
			if (now - before < QUIET_CORES) {
				break;
			}
			before = now;
		}
		double waited = (System.nanoTime() - started) / 1e9;
		this.quiesced.put(id, round(waited));
		if (waited > 5) {
			progress(String.format(Locale.ROOT, "  waited %.0f s for the stack to go quiet", waited));
		}
	}

	private Scenario record(String id, String title, Measured measured, Map<String, ProcessUsage.Usage> resources) {
		double throughput = (measured.seconds() > 0) ? measured.operations() / measured.seconds() : 0;
		Scenario scenario = new Scenario(id, title, round(measured.seconds()), measured.operations(),
				measured.failures(), round(throughput), measured.latency(), measured.pipeline(), resources);
		this.scenarios.add(scenario);
		Latencies l = scenario.latency();
		progress(String.format(Locale.ROOT, "  %s: %d ops in %.1f s = %.0f/s; p50 %s p99 %s p99.9 %s max %s ms%s", id,
				scenario.operations(), scenario.seconds(), scenario.throughput(), Report.ms(l.p50()),
				Report.ms(l.p99()), Report.ms(l.p999()), Report.ms(l.max()),
				(scenario.failures() > 0) ? "; " + scenario.failures() + " FAILED" : ""));
		return scenario;
	}

	// --- warm-up ---------------------------------------------------------------------

	/**
	 * Everything at once for a while (JIT, connection pools, Kafka metadata), then waits
	 * until the subscribers have caught up, so no scenario starts with a backlog.
	 */
	private void warmUp(double seconds) throws Exception {
		progress(String.format(Locale.ROOT, "warm-up: %.0f s of raw and Dapr publishes and task writes at 100/s",
				seconds));
		AtomicBoolean stop = new AtomicBoolean();
		List<Thread> threads = new ArrayList<>();
		try (KafkaProducer<byte[], byte[]> producer = producer(0)) {
			List<String> bodies = bulkBodies(10);
			threads.add(loop(stop, (i) -> producer.send(record("bench.raw", i)).get()));
			threads.add(loop(stop, this::daprPublish));
			threads.add(loop(stop, (i) -> daprBulk(bodies.get((int) (i % bodies.size())))));
			long lo = maxOutboxId();
			openLoop(100, seconds, this::writeTask);
			stop.set(true);
			for (Thread thread : threads) {
				thread.join();
			}
			settle(lo, maxOutboxId(), 120);
		}
	}

	/**
	 * The roles alone, right before the pipeline steps. Measured per thread: after the
	 * first warm-up and minutes of the publish scenarios, a first step at 50 writes/s
	 * spent 64% of the tasks JVM's CPU in its JIT compiler threads (7.2 of 11.3 CPU s in
	 * 20 s), still 0.9 CPU s after 3,000 more writes. Steady state is what the steps
	 * measure.
	 */
	private void warmUpPipeline(double seconds) throws Exception {
		progress(String.format(Locale.ROOT, "warm-up of the pipeline: %.0f s of task writes at 150/s", seconds));
		long lo = maxOutboxId();
		openLoop(150, seconds, this::writeTask);
		settle(lo, maxOutboxId(), 120);
	}

	private static Thread loop(AtomicBoolean stop, OpenLoop.Call call) {
		Thread thread = new Thread(() -> {
			long i = 0;
			while (!stop.get()) {
				try {
					call.run(i++);
				}
				catch (Exception ex) {
					// warm-up only
				}
			}
		}, "warm-up");
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	// --- raw Kafka -------------------------------------------------------------------

	private KafkaProducer<byte[], byte[]> producer(int lingerMs) {
		Properties properties = new Properties();
		properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + this.stack.ports().kafka());
		properties.put(ProducerConfig.ACKS_CONFIG, "all");
		properties.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(lingerMs));
		properties.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-" + lingerMs);
		return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
	}

	/** Keyed like the real events: the task id (here a spread of ids). */
	private ProducerRecord<byte[], byte[]> record(String topic, long i) {
		return new ProducerRecord<>(topic, Long.toString(i % 10_000).getBytes(StandardCharsets.UTF_8),
				this.payload.getBytes(StandardCharsets.UTF_8));
	}

	private Measured rawAsync(KafkaProducer<byte[], byte[]> producer, double seconds) {
		Recorder recorder = new Recorder(20_000_000);
		long start = System.nanoTime();
		long end = start + (long) (seconds * 1e9);
		long i = 0;
		while (System.nanoTime() < end) {
			long sent = System.nanoTime();
			producer.send(record("bench.raw", i++), (metadata, error) -> {
				if (error == null) {
					recorder.record(System.nanoTime() - sent);
				}
				else {
					recorder.failed();
				}
			});
		}
		producer.flush();
		double took = (System.nanoTime() - start) / 1e9;
		return new Measured(took, recorder.count(), recorder.failures(), recorder.latencies(), null);
	}

	/**
	 * Kafka's EndToEndLatency: send one record (acks=all), poll until it arrives, again.
	 */
	private Measured rawEndToEnd(double seconds) throws Exception {
		Properties properties = new Properties();
		properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + this.stack.ports().kafka());
		properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
		properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "0");
		TopicPartition partition = new TopicPartition("bench.e2e", 0);
		Recorder recorder = new Recorder(1_000_000);
		try (KafkaProducer<byte[], byte[]> producer = producer(0);
				KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
						new ByteArrayDeserializer())) {
			consumer.assign(List.of(partition));
			consumer.seekToEnd(List.of(partition));
			consumer.position(partition);
			long start = System.nanoTime();
			long end = start + (long) (seconds * 1e9);
			while (System.nanoTime() < end) {
				long sent = System.nanoTime();
				producer.send(new ProducerRecord<>("bench.e2e", this.payload.getBytes(StandardCharsets.UTF_8))).get();
				int received = 0;
				while (received == 0) {
					ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
					received = records.count();
					if (received == 0 && System.nanoTime() - sent > 10_000_000_000L) {
						throw new IllegalStateException("a record sent to bench.e2e did not arrive in 10 s");
					}
				}
				recorder.record(System.nanoTime() - sent);
			}
			return new Measured((System.nanoTime() - start) / 1e9, recorder.count(), 0, recorder.latencies(), null);
		}
	}

	// --- Dapr publish ----------------------------------------------------------------

	private void daprPublish(long i) throws IOException, InterruptedException {
		URI uri = URI.create("http://127.0.0.1:" + BENCH_SIDECAR.daprHttp() + "/v1.0/publish/" + PUBSUB
				+ "/bench.dapr?metadata.partitionKey=" + (i % 10_000));
		HttpResponse<Void> response = this.http.send(HttpRequest.newBuilder(uri)
			.header("Content-Type", "application/cloudevents+json")
			.header("traceparent", traceparent())
			.POST(HttpRequest.BodyPublishers.ofString(this.payload))
			.build(), HttpResponse.BodyHandlers.discarding());
		if (response.statusCode() / 100 != 2) {
			throw new IOException("publish answered " + response.statusCode());
		}
	}

	/**
	 * A few bulk request bodies of {@code size} entries each, with spread partition keys.
	 */
	private List<String> bulkBodies(int size) {
		List<String> bodies = new ArrayList<>();
		for (int b = 0; b < 16; b++) {
			StringBuilder body = new StringBuilder("[");
			for (int e = 0; e < size; e++) {
				if (e > 0) {
					body.append(',');
				}
				body.append("{\"entryId\":\"")
					.append(e)
					.append("\",\"event\":")
					.append(this.payload)
					.append(",\"contentType\":\"application/cloudevents+json\",\"metadata\":{\"partitionKey\":\"")
					.append(b * size + e)
					.append("\"}}");
			}
			bodies.add(body.append(']').toString());
		}
		return bodies;
	}

	private void daprBulk(String body) throws IOException, InterruptedException {
		URI uri = URI.create(
				"http://127.0.0.1:" + BENCH_SIDECAR.daprHttp() + "/v1.0-alpha1/publish/bulk/" + PUBSUB + "/bench.dapr");
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri)
			.header("Content-Type", "application/json")
			.header("traceparent", traceparent())
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() / 100 != 2) {
			throw new IOException("bulk publish answered " + response.statusCode() + ": " + response.body());
		}
	}

	private Measured bulk(List<String> bodies, int size, double seconds) throws InterruptedException {
		Measured calls = closedLoop(CALLERS, seconds, (i) -> daprBulk(bodies.get((int) (i % bodies.size()))));
		return new Measured(calls.seconds(), calls.operations() * size, calls.failures() * size, calls.latency(), null);
	}

	private static String traceparent() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return "00-" + HexFormat.of().toHexDigits(random.nextLong()) + HexFormat.of().toHexDigits(random.nextLong())
				+ "-" + HexFormat.of().toHexDigits(random.nextLong()) + "-01";
	}

	// --- load shapes -----------------------------------------------------------------

	/** {@code threads} callers, each making the next call when the last one returned. */
	static Measured closedLoop(int threads, double seconds, OpenLoop.Call call) throws InterruptedException {
		return closedLoop(threads, seconds, Long.MAX_VALUE, call);
	}

	/**
	 * The same, ending after {@code seconds} or {@code calls} calls, whichever is first.
	 */
	static Measured closedLoop(int threads, double seconds, long calls, OpenLoop.Call call)
			throws InterruptedException {
		Recorder recorder = new Recorder(5_000_000);
		AtomicLong index = new AtomicLong();
		long start = System.nanoTime();
		long end = start + (long) (Math.min(seconds, 86_400) * 1e9);
		List<Thread> callers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			Thread caller = new Thread(() -> {
				long i;
				while (System.nanoTime() < end && (i = index.getAndIncrement()) < calls) {
					long began = System.nanoTime();
					try {
						call.run(i);
						recorder.record(System.nanoTime() - began);
					}
					catch (Exception ex) {
						recorder.failed();
					}
				}
			}, "closed-loop-" + t);
			caller.start();
			callers.add(caller);
		}
		for (Thread caller : callers) {
			caller.join();
		}
		return new Measured((System.nanoTime() - start) / 1e9, recorder.count(), recorder.failures(),
				recorder.latencies(), null);
	}

	private static Measured openLoop(double rate, double seconds, OpenLoop.Call call) throws InterruptedException {
		return Measured.of(new OpenLoop(rate, 256).run(seconds, call));
	}

	// --- the full pipeline -----------------------------------------------------------

	private void writeTask(long i) throws IOException, InterruptedException {
		String body = """
				{"title":"Benchmark task %d","description":"%s","priority":"HIGH","tags":["bench","load"]}"""
			.formatted(this.taskCounter.incrementAndGet(), DESCRIPTION);
		HttpResponse<Void> response = this.http.send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.stack.ports().of("tasks").app() + "/api/v1/tasks"))
			.header("Content-Type", "application/json")
			.header("Authorization", "Bearer " + this.tokens.apply("bench-" + this.runId + "-" + (i % 50)))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.discarding());
		if (response.statusCode() != 201) {
			throw new IOException("creating a task answered " + response.statusCode());
		}
	}

	/** With it, a task.created CloudEvent is about 900 bytes, as real tasks' are. */
	private static final String DESCRIPTION = "Collect the numbers from every team, check them against last quarter, "
			+ "write the summary for the board and send the draft to finance before Friday.";

	private String realEvent() throws Exception {
		writeTask(0);
		try (PreparedStatement statement = this.db
			.prepareStatement("SELECT payload FROM tasks.outbox ORDER BY id DESC LIMIT 1");
				ResultSet rs = statement.executeQuery()) {
			rs.next();
			return rs.getString(1);
		}
	}

	/**
	 * Open-loop steps at fixed rates, then two steps between the fastest rate that kept
	 * up and the slowest that did not (the knee).
	 */
	private void pipelineSteps() throws Exception {
		double seconds = this.options.seconds(20);
		List<Double> rates = new ArrayList<>(List.of(50.0, 200.0, 500.0, 1000.0));
		List<Scenario> steps = new ArrayList<>();
		for (double rate : rates) {
			steps.add(pipelineStep(rate, seconds));
		}
		for (int round = 0; round < (this.options.quick() ? 0 : 2); round++) {
			double good = steps.stream()
				.filter(Benchmark::keptUp)
				.mapToDouble((s) -> s.pipeline().targetRate())
				.max()
				.orElse(0);
			double bad = steps.stream()
				.filter((s) -> !keptUp(s))
				.mapToDouble((s) -> s.pipeline().targetRate())
				.min()
				.orElse(0);
			double next = Math.round((good + bad) / 2 / 10) * 10;
			if (bad == 0 || good == 0 || next <= good || next >= bad) {
				break;
			}
			steps.add(pipelineStep(next, seconds));
		}
		double knee = steps.stream()
			.filter(Benchmark::keptUp)
			.mapToDouble((s) -> s.pipeline().targetRate())
			.max()
			.orElse(0);
		this.notes.add(String.format(Locale.ROOT,
				"Knee of the full pipeline: %.0f task writes/s is the fastest step that kept up (writes ≥ 95%% of the "
						+ "rate, none missed, every event delivered to all three subscribers, lag not growing).",
				knee));
	}

	static boolean keptUp(Scenario step) {
		Scenario.Pipeline p = step.pipeline();
		return step.throughput() >= 0.95 * p.targetRate() && p.missed() == 0 && p.allDelivered() && !p.lagGrowing();
	}

	private Scenario pipelineStep(double rate, double seconds) throws Exception {
		String id = String.format(Locale.ROOT, "pipeline-%.0f", rate);
		return measure(id, String.format(Locale.ROOT, "6. full pipeline, task writes open loop at %.0f/s", rate),
				() -> {
					long lo = maxOutboxId();
					Timestamp since = now();
					OpenLoop loop = new OpenLoop(rate, 256);
					LagProbe probe = new LagProbe(since, seconds);
					probe.start();
					OpenLoop.Outcome outcome = loop.run(seconds, (i) -> {
						writeTask(i);
						probe.written.incrementAndGet();
					});
					probe.stop();
					long hi = maxOutboxId();
					double settle = settle(lo, hi, this.options.quick() ? 60 : 120);
					Scenario.Pipeline pipeline = new Scenario.Pipeline(rate, outcome.missed(), events(lo, hi),
							delivered(lo, hi), commitToHandler(lo, hi), probe.lagAtThird, probe.lagAtEnd, settle);
					Measured measured = Measured.of(outcome);
					return new Measured(measured.seconds(), measured.operations(), measured.failures(),
							measured.latency(), pipeline);
				});
	}

	/**
	 * Samples, once a second, how many of the step's events the slowest subscriber has
	 * not handled yet: writes acknowledged so far minus the events each subscriber
	 * recorded since the step began.
	 */
	private final class LagProbe {

		final AtomicLong written = new AtomicLong();

		private final Timestamp since;

		private final double seconds;

		private final AtomicBoolean stop = new AtomicBoolean();

		private Thread thread;

		volatile long lagAtThird;

		volatile long lagAtEnd;

		LagProbe(Timestamp since, double seconds) {
			this.since = since;
			this.seconds = seconds;
		}

		void start() {
			this.thread = new Thread(() -> {
				long start = System.nanoTime();
				boolean third = false;
				try (Connection connection = DriverManager.getConnection(
						"jdbc:postgresql://127.0.0.1:" + Benchmark.this.stack.ports().postgres() + "/postgres",
						"postgres", "")) {
					while (!this.stop.get()) {
						long lag = lag(connection);
						if (!third && (System.nanoTime() - start) / 1e9 >= this.seconds / 3) {
							this.lagAtThird = lag;
							third = true;
						}
						this.lagAtEnd = lag;
						long next = System.nanoTime() + 1_000_000_000L;
						while (!this.stop.get() && System.nanoTime() < next) {
							Thread.sleep(50);
						}
					}
					this.lagAtEnd = lag(connection);
				}
				catch (SQLException | InterruptedException ex) {
					progress("lag probe stopped: " + ex);
				}
			}, "lag-probe");
			this.thread.setDaemon(true);
			this.thread.start();
		}

		private long lag(Connection connection) throws SQLException {
			return Math.max(0, this.written.get() - fewestHandledSince(connection, this.since));
		}

		void stop() throws InterruptedException {
			this.stop.set(true);
			this.thread.join();
		}

	}

	/**
	 * Backlog drain: the publishing sidecar stopped, {@code count} tasks written, the
	 * sidecar started again; timed from the moment it is healthy until every subscriber
	 * has handled every one of them. The times come from the database afterwards (the
	 * last {@code published_at} and {@code processed_at} of the range, against the
	 * database's clock when the sidecar was healthy); meanwhile the run only checks every
	 * {@link #DRAIN_POLL} whether all is in, with a count of the rows each subscriber
	 * added since, and joins the range (about 0.1 s of PostgreSQL per subscriber) only
	 * once that count is complete. Joining every 0.2 s took a third of a core from the
	 * drain it measured.
	 */
	private void drain(int count) throws Exception {
		progress("drain: stopping tasks-dapr, writing " + count + " tasks");
		this.stack.stop("tasks-dapr");
		long lo = maxOutboxId();
		Measured writes = closedLoop(CALLERS, 600, count, this::writeTask);
		long hi = maxOutboxId();
		long events = events(lo, hi);
		progress(String.format(Locale.ROOT, "  wrote %d tasks in %.1f s (API p50 %s p99 %s ms) with the sidecar down",
				events, writes.seconds(), Report.ms(writes.latency().p50()), Report.ms(writes.latency().p99())));
		measure("drain", "7. backlog drain: " + events + " events, from the publishing sidecar's restart to all three "
				+ "subscribers (latency column: the API writes while it was down)", () -> {
					resetStatementTimes();
					this.stack.start("tasks-dapr");
					this.stack.pid("tasks-dapr").ifPresent((pid) -> this.usage.replace("tasks-dapr", pid));
					Timestamp healthy = now();
					long deadline = System.nanoTime() + Duration.ofMinutes(this.options.quick() ? 2 : 6).toNanos();
					while (System.nanoTime() < deadline && !(fewestHandledSince(this.db, healthy) >= events
							&& delivered(lo, hi).values().stream().allMatch((handled) -> handled >= events))) {
						Thread.sleep(DRAIN_POLL.toMillis());
					}
					double published = secondsAfter(healthy,
							"SELECT max(published_at) FROM tasks.outbox WHERE id > " + lo + " AND id <= " + hi);
					Map<String, Double> done = new LinkedHashMap<>();
					for (String subscriber : SUBSCRIBERS) {
						done.put(subscriber,
								round(secondsAfter(healthy,
										"SELECT max(p.processed_at) FROM tasks.outbox o JOIN " + subscriber
												+ ".processed_events p ON p.event_id = o.event_id WHERE o.id > " + lo
												+ " AND o.id <= " + hi)));
					}
					double took = done.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
					this.notes.add(String.format(Locale.ROOT,
							"Drain of %d events: the relay had published them all %.1f s after the sidecar was healthy; "
									+ "each subscriber had all of them after (s): %s (times from published_at and "
									+ "processed_at; the run checked for completion every %d s).",
							events, published, done, DRAIN_POLL.toSeconds()));
					this.notes.add("PostgreSQL during the drain " + busiestStatements(8));
					Scenario.Pipeline pipeline = new Scenario.Pipeline(0, 0, events, delivered(lo, hi), Map.of(), 0, 0,
							round(took));
					return new Measured(took, events, writes.failures(), writes.latency(), pipeline);
				});
	}

	// --- the database's view ---------------------------------------------------------

	private Timestamp now() throws SQLException {
		try (PreparedStatement statement = this.db.prepareStatement("SELECT clock_timestamp()");
				ResultSet rs = statement.executeQuery()) {
			rs.next();
			return rs.getTimestamp(1);
		}
	}

	private long maxOutboxId() throws SQLException {
		return single("SELECT coalesce(max(id), 0) FROM tasks.outbox");
	}

	private long events(long lo, long hi) throws SQLException {
		return single("SELECT count(*) FROM tasks.outbox WHERE id > " + lo + " AND id <= " + hi);
	}

	private Map<String, Long> delivered(long lo, long hi) throws SQLException {
		Map<String, Long> delivered = new LinkedHashMap<>();
		for (String subscriber : SUBSCRIBERS) {
			delivered.put(subscriber, single("SELECT count(*) FROM tasks.outbox o JOIN " + subscriber
					+ ".processed_events p ON p.event_id = o.event_id WHERE o.id > " + lo + " AND o.id <= " + hi));
		}
		return delivered;
	}

	/**
	 * Waits until every subscriber has the events in (lo, hi], at most {@code limit} s.
	 */
	private double settle(long lo, long hi, int limitSeconds) throws SQLException, InterruptedException {
		long events = events(lo, hi);
		long started = System.nanoTime();
		long deadline = started + Duration.ofSeconds(limitSeconds).toNanos();
		while (System.nanoTime() < deadline) {
			if (delivered(lo, hi).values().stream().allMatch((count) -> count >= events)) {
				return round((System.nanoTime() - started) / 1e9);
			}
			Thread.sleep(250);
		}
		progress("  gave up waiting for delivery after " + limitSeconds + " s: " + delivered(lo, hi) + " of " + events);
		return limitSeconds;
	}

	/**
	 * Per event, from its commit (the outbox row's {@code created_at}: the start of the
	 * writing transaction, at most its few ms before the commit) to each subscriber's
	 * handler (its inbox row's {@code processed_at}: {@code clock_timestamp()} at the
	 * handler's first statement). One PostgreSQL clock for both.
	 */
	private Map<String, Latencies> commitToHandler(long lo, long hi) throws SQLException {
		Map<String, Latencies> latencies = new LinkedHashMap<>();
		for (String subscriber : SUBSCRIBERS) {
			latencies.put(subscriber,
					Latencies.ofMillis(millis("SELECT extract(epoch FROM p.processed_at - o.created_at) * 1000 "
							+ "FROM tasks.outbox o JOIN " + subscriber
							+ ".processed_events p ON p.event_id = o.event_id WHERE o.id > " + lo + " AND o.id <= "
							+ hi)));
		}
		latencies.put("all",
				Latencies.ofMillis(
						millis("""
								SELECT extract(epoch FROM greatest(a.processed_at, n.processed_at, u.processed_at) - o.created_at) * 1000
								FROM tasks.outbox o
								JOIN analytics.processed_events a ON a.event_id = o.event_id
								JOIN notifications.processed_events n ON n.event_id = o.event_id
								JOIN audit.processed_events u ON u.event_id = o.event_id
								WHERE o.id > %d AND o.id <= %d"""
							.formatted(lo, hi))));
		return latencies;
	}

	private double[] millis(String sql) throws SQLException {
		List<Double> values = new ArrayList<>();
		try (PreparedStatement statement = this.db.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
			while (rs.next()) {
				values.add(rs.getDouble(1));
			}
		}
		return values.stream().mapToDouble(Double::doubleValue).toArray();
	}

	/**
	 * The fewest events any subscriber has handled since {@code since} (a sequential scan
	 * of each {@code processed_events}; cheap next to joining a range).
	 */
	private static long fewestHandledSince(Connection connection, Timestamp since) throws SQLException {
		long fewest = Long.MAX_VALUE;
		for (String subscriber : SUBSCRIBERS) {
			try (PreparedStatement statement = connection
				.prepareStatement("SELECT count(*) FROM " + subscriber + ".processed_events WHERE processed_at >= ?")) {
				statement.setTimestamp(1, since);
				try (ResultSet rs = statement.executeQuery()) {
					rs.next();
					fewest = Math.min(fewest, rs.getLong(1));
				}
			}
		}
		return fewest;
	}

	/** Starts PostgreSQL's per-statement timings (pg_stat_statements) afresh. */
	private void resetStatementTimes() throws SQLException {
		try (Statement statement = this.db.createStatement()) {
			statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
			statement.execute("SELECT pg_stat_statements_reset()");
		}
	}

	/**
	 * What PostgreSQL spent its execution time on since {@link #resetStatementTimes()}:
	 * the total, and the {@code limit} statements that took most of it. Execution only:
	 * parsing, commits and their WAL flushes are not in it.
	 */
	private String busiestStatements(int limit) throws SQLException {
		String others = " WHERE query NOT LIKE '%pg_stat_statements%'";
		StringBuilder text = new StringBuilder();
		try (Statement statement = this.db.createStatement();
				ResultSet total = statement.executeQuery(
						"SELECT coalesce(sum(total_exec_time), 0), coalesce(sum(calls), 0) FROM pg_stat_statements"
								+ others)) {
			total.next();
			text.append(String.format(Locale.ROOT,
					"(pg_stat_statements, execution time only): %,.0f ms in %,d statements; the busiest:",
					total.getDouble(1), total.getLong(2)));
		}
		try (Statement statement = this.db.createStatement();
				ResultSet busiest = statement
					.executeQuery("SELECT total_exec_time, calls, query FROM pg_stat_statements" + others
							+ " ORDER BY total_exec_time DESC LIMIT " + limit)) {
			while (busiest.next()) {
				String query = busiest.getString(3).replaceAll("\\s+", " ").trim();
				text.append(String.format(Locale.ROOT, " %,.0f ms / %,d calls `%s`;", busiest.getDouble(1),
						busiest.getLong(2), (query.length() > 100) ? query.substring(0, 100) + "…" : query));
			}
		}
		return text.substring(0, text.length() - 1) + ".";
	}

	/**
	 * Seconds from {@code since} to the timestamp a query returns (NaN if none), both on
	 * the database's clock.
	 */
	private double secondsAfter(Timestamp since, String sql) throws SQLException {
		try (PreparedStatement statement = this.db.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
			rs.next();
			Timestamp at = rs.getTimestamp(1);
			return (at == null) ? Double.NaN : (at.getTime() - since.getTime()) / 1e3;
		}
	}

	private long single(String sql) throws SQLException {
		try (PreparedStatement statement = this.db.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
			rs.next();
			return rs.getLong(1);
		}
	}

	// --- output ----------------------------------------------------------------------

	private static Path write(Path repo, Results results) throws IOException {
		Path dir = repo.resolve("bench/results");
		Files.createDirectories(dir);
		String stamp = DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm").withZone(ZoneOffset.UTC).format(Instant.now());
		Path file = dir.resolve(stamp + "-" + results.gitSha() + (results.quick() ? "-quick" : "") + ".json");
		Files.writeString(file, Report.json(results));
		// a labelled variant does not replace the production-default run's table
		String latest = (results.variant().startsWith("tracing off") ? "latest-no-tracing" : "latest")
				+ (results.quick() ? "-quick" : "") + ".md";
		Files.writeString(dir.resolve(latest), "# Latest benchmark run\n\n" + Report.markdown(results));
		return file;
	}

	static String machine() {
		int cores = Runtime.getRuntime().availableProcessors();
		String model = "";
		long memoryKb = 0;
		try {
			model = Files.readAllLines(Path.of("/proc/cpuinfo"))
				.stream()
				.filter((line) -> line.startsWith("model name"))
				.map((line) -> line.substring(line.indexOf(':') + 1).trim())
				.findFirst()
				.orElse("");
			memoryKb = ProcessUsage.statusKb(Files.readString(Path.of("/proc/meminfo")), "MemTotal:");
		}
		catch (IOException ex) {
			// not Linux: cores only
		}
		return String.format(Locale.ROOT, "%d cores%s, %.0f GiB", cores, model.isEmpty() ? "" : " (" + model + ")",
				memoryKb / 1024.0 / 1024.0);
	}

	private static double round(double value) {
		return Math.round(value * 100) / 100.0;
	}

	static void progress(String message) {
		System.out.println("[bench] " + message);
		System.out.flush();
	}

}
