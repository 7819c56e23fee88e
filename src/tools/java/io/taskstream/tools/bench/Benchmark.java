package io.taskstream.tools.bench;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.producer.KafkaProducer;

import io.taskstream.tools.stack.LocalStack;
import io.taskstream.tools.stack.StackPorts;

/**
 * {@code scripts/bench}: starts (or reuses) the benchmark's own local stack
 * ({@link BenchStack}), warms it up, runs every scenario next to its baseline (raw Kafka
 * in {@link RawKafka}, Dapr publishes in {@link DaprPublisher}, the full pipeline in
 * {@link PipelineScenarios}), and writes {@code bench/results/}. Usage: see
 * {@link BenchOptions}.
 */
public final class Benchmark {

	/** Callers for the closed-loop publish scenarios (raw sync, Dapr single and bulk). */
	static final int CALLERS = 16;

	private final BenchOptions options;

	private final LocalStack stack;

	private final BenchDatabase database;

	private final Measurements measurements;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final TaskWriter writer;

	Benchmark(BenchOptions options, LocalStack stack, BenchDatabase database, Measurements measurements) {
		this.options = options;
		this.stack = stack;
		this.database = database;
		this.measurements = measurements;
		this.writer = new TaskWriter(this.http, stack.ports().of("tasks").app());
	}

	public static void main(String[] args) throws Exception {
		BenchOptions options = BenchOptions.parse(args);
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
		Measurements measurements;
		try {
			measurements = new Measurements(new BenchStack(stack, state).start(options.reuse()));
			try (BenchDatabase database = new BenchDatabase(stack.ports().postgres())) {
				new Benchmark(options, stack, database, measurements).runAll();
			}
		}
		finally {
			stop.run();
			Runtime.getRuntime().removeShutdownHook(hook);
		}
		Results results = results(options, measurements, (System.nanoTime() - started) / 1e9);
		Path written = ResultFiles.write(repo, results);
		System.out.println();
		System.out.println(Report.markdown(results, ResultFiles.before(repo)));
		long met = results.targets().stream().filter((t) -> Boolean.TRUE.equals(t.met())).count();
		progress(String.format(Locale.ROOT, "done in %.0f s: %d scenarios, %d of %d targets met; %s and %s",
				results.runSeconds(), results.scenarios().size(), met, results.targets().size(),
				repo.relativize(written), "its latest*.md"));
	}

	void runAll() throws Exception {
		String payload = realEvent();
		progress("payload: a real task.created CloudEvent of " + payload.getBytes(StandardCharsets.UTF_8).length
				+ " bytes from tasks.outbox");
		RawKafka kafka = new RawKafka(this.stack.ports().kafka(), payload);
		DaprPublisher dapr = new DaprPublisher(this.http, BenchStack.BENCH_SIDECAR.daprHttp(), payload);
		warmUp(kafka, dapr, this.options.seconds(30));

		double seconds = this.options.seconds(12);
		try (KafkaProducer<byte[], byte[]> batching = kafka.producer(5);
				KafkaProducer<byte[], byte[]> sync = kafka.producer(0)) {
			this.measurements.measure("raw-async", "1. raw Kafka producer, async, acks=all, linger 5 ms, 1 thread",
					() -> kafka.async(batching, seconds));
			Scenario rawSync = this.measurements.measure("raw-sync",
					"2. raw Kafka producer, one sync send at a time from " + CALLERS + " threads",
					() -> Loads.closedLoop(CALLERS, seconds, (i) -> sync.send(kafka.record("bench.raw", i)).get()));
			Scenario daprSingle = this.measurements.measure("dapr-single",
					"3. Dapr HTTP single publish from " + CALLERS + " callers → Kafka",
					() -> Loads.closedLoop(CALLERS, seconds, dapr::publish));
			// Both at the same rate, half the saturation of the slower of the two, so
			// neither queues: the latency Dapr adds per publish.
			double rate = Math.floor(Math.min(rawSync.throughput(), daprSingle.throughput()) / 2 / 10) * 10;
			pacedPair(rate, seconds, (i) -> sync.send(kafka.record("bench.raw", i)).get(), dapr);
			for (int size : List.of(10, 100)) {
				List<String> bodies = dapr.bulkBodies(size);
				this.measurements.measure("dapr-bulk-" + size,
						"4. Dapr bulk publish, batches of " + size + ", " + CALLERS + " callers (ops = events)",
						() -> dapr.bulk(bodies, size, CALLERS, seconds));
			}
		}
		this.measurements.measure("raw-e2e", "5. raw Kafka produce → consume, one record at a time",
				() -> kafka.endToEnd(seconds));
		warmUpPipeline(this.options.seconds(60));
		PipelineScenarios pipeline = new PipelineScenarios(this.options, this.stack, this.database, this.measurements,
				this.writer);
		pipeline.steps();
		pipeline.drain(this.options.quick() ? 1_000 : 20_000);
	}

	private String realEvent() throws Exception {
		this.writer.write(0);
		return this.database.newestEvent();
	}

	/**
	 * Raw sync sends and Dapr single publishes at the same rate, in alternating rounds,
	 * so a burst of other load on the machine hits both alike.
	 */
	private void pacedPair(double rate, double seconds, OpenLoop.Call raw, DaprPublisher dapr) throws Exception {
		int rounds = this.options.quick() ? 2 : 4;
		progress(String.format(Locale.ROOT, "raw-sync-paced and dapr-single-paced: %.0f/s each, %d alternating rounds",
				rate, rounds));
		this.measurements.quiesce("paced");
		ProcessUsage usage = this.measurements.usage();
		Recorder rawRecorder = new Recorder(5_000_000);
		Recorder daprRecorder = new Recorder(5_000_000);
		Map<String, ProcessUsage.Usage> rawUsage = new LinkedHashMap<>();
		Map<String, ProcessUsage.Usage> daprUsage = new LinkedHashMap<>();
		double rawSeconds = 0;
		double daprSeconds = 0;
		for (int round = 0; round < rounds; round++) {
			usage.start();
			rawSeconds += new OpenLoop(rate, 256).run(seconds / rounds, raw, rawRecorder).seconds();
			Measurements.add(rawUsage, usage.stop());
			usage.start();
			daprSeconds += new OpenLoop(rate, 256).run(seconds / rounds, dapr::publish, daprRecorder).seconds();
			Measurements.add(daprUsage, usage.stop());
		}
		this.measurements.record("raw-sync-paced",
				String.format(Locale.ROOT, "2. raw sync send, open loop at %.0f/s, alternating with Dapr", rate),
				Measured.of(rawRecorder, rawSeconds), rawUsage);
		this.measurements.record("dapr-single-paced",
				String.format(Locale.ROOT, "3. Dapr single publish, open loop at %.0f/s, alternating with raw", rate),
				Measured.of(daprRecorder, daprSeconds), daprUsage);
	}

	/**
	 * Everything at once for a while (JIT, connection pools, Kafka metadata), then waits
	 * until the subscribers have caught up, so no scenario starts with a backlog.
	 */
	private void warmUp(RawKafka kafka, DaprPublisher dapr, double seconds) throws Exception {
		progress(String.format(Locale.ROOT, "warm-up: %.0f s of raw and Dapr publishes and task writes at 100/s",
				seconds));
		AtomicBoolean stop = new AtomicBoolean();
		List<Thread> threads = new ArrayList<>();
		try (KafkaProducer<byte[], byte[]> producer = kafka.producer(0)) {
			List<String> bodies = dapr.bulkBodies(10);
			threads.add(Loads.loop(stop, (i) -> producer.send(kafka.record("bench.raw", i)).get()));
			threads.add(Loads.loop(stop, dapr::publish));
			threads.add(Loads.loop(stop, (i) -> dapr.bulk(bodies.get((int) (i % bodies.size())))));
			long lo = this.database.maxOutboxId();
			Loads.openLoop(100, seconds, this.writer::write);
			stop.set(true);
			for (Thread thread : threads) {
				thread.join();
			}
			this.database.settle(lo, this.database.maxOutboxId(), 120);
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
		long lo = this.database.maxOutboxId();
		Loads.openLoop(150, seconds, this.writer::write);
		this.database.settle(lo, this.database.maxOutboxId(), 120);
	}

	static Results results(BenchOptions options, Measurements measurements, double runSeconds) {
		String date = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
			.withZone(ZoneOffset.UTC)
			.format(Instant.now());
		String variant = options.noTracing() ? "tracing off (sampling 0, apps and sidecars)"
				: "tracing on (sampling 1, the production default)";
		List<Scenario> scenarios = measurements.scenarios();
		return new Results(date, options.sha(), ResultFiles.machine(), variant, options.quick(), options.load(),
				Math.round(runSeconds), scenarios, Targets.evaluate(scenarios), measurements.notes());
	}

	static void progress(String message) {
		System.out.println("[bench] " + message);
		System.out.flush();
	}

}
