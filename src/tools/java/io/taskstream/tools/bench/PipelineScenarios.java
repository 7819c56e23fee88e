package io.taskstream.tools.bench;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.taskstream.tools.stack.LocalStack;

/**
 * The full pipeline, from a task write to all three subscribers: open-loop steps to find
 * the knee, and the drain of a backlog.
 */
final class PipelineScenarios {

	/** How often the drain checks whether every subscriber has every event. */
	private static final Duration DRAIN_POLL = Duration.ofSeconds(2);

	private final BenchOptions options;

	private final LocalStack stack;

	private final BenchDatabase database;

	private final Measurements measurements;

	private final TaskWriter writer;

	PipelineScenarios(BenchOptions options, LocalStack stack, BenchDatabase database, Measurements measurements,
			TaskWriter writer) {
		this.options = options;
		this.stack = stack;
		this.database = database;
		this.measurements = measurements;
		this.writer = writer;
	}

	/**
	 * Open-loop steps at fixed rates, then two steps between the fastest rate that kept
	 * up and the slowest that did not (the knee).
	 */
	void steps() throws Exception {
		double seconds = this.options.seconds(20);
		List<Double> rates = new ArrayList<>(List.of(50.0, 200.0, 500.0, 1000.0));
		List<Scenario> steps = new ArrayList<>();
		for (double rate : rates) {
			steps.add(step(rate, seconds));
		}
		for (int round = 0; round < (this.options.quick() ? 0 : 2); round++) {
			double good = steps.stream()
				.filter(PipelineScenarios::keptUp)
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
			steps.add(step(next, seconds));
		}
		double knee = steps.stream()
			.filter(PipelineScenarios::keptUp)
			.mapToDouble((s) -> s.pipeline().targetRate())
			.max()
			.orElse(0);
		this.measurements.note(String.format(Locale.ROOT,
				"Knee of the full pipeline: %.0f task writes/s is the fastest step that kept up (writes ≥ 95%% of the "
						+ "rate, none missed, every event delivered to all three subscribers, lag not growing).",
				knee));
	}

	static boolean keptUp(Scenario step) {
		Scenario.Pipeline p = step.pipeline();
		return step.throughput() >= 0.95 * p.targetRate() && p.missed() == 0 && p.allDelivered() && !p.lagGrowing();
	}

	private Scenario step(double rate, double seconds) throws Exception {
		String id = String.format(Locale.ROOT, "pipeline-%.0f", rate);
		return this.measurements.measure(id,
				String.format(Locale.ROOT, "6. full pipeline, task writes open loop at %.0f/s", rate), () -> {
					long lo = this.database.maxOutboxId();
					Timestamp since = this.database.now();
					OpenLoop loop = new OpenLoop(rate, 256);
					LagProbe probe = new LagProbe(this.database, since, seconds);
					probe.start();
					OpenLoop.Outcome outcome = loop.run(seconds, (i) -> {
						this.writer.write(i);
						probe.written.incrementAndGet();
					});
					probe.stop();
					long hi = this.database.maxOutboxId();
					double settle = this.database.settle(lo, hi, this.options.quick() ? 60 : 120);
					Scenario.Pipeline pipeline = new Scenario.Pipeline(rate, outcome.missed(),
							this.database.events(lo, hi), this.database.delivered(lo, hi),
							this.database.commitToHandler(lo, hi), probe.lagAtThird, probe.lagAtEnd, settle);
					return Measured.of(outcome).with(pipeline);
				});
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
	void drain(int count) throws Exception {
		Benchmark.progress("drain: stopping tasks-dapr, writing " + count + " tasks");
		this.stack.stop("tasks-dapr");
		long lo = this.database.maxOutboxId();
		Measured writes = Loads.closedLoop(Benchmark.CALLERS, 600, count, this.writer::write);
		long hi = this.database.maxOutboxId();
		long events = this.database.events(lo, hi);
		Benchmark.progress(String.format(Locale.ROOT,
				"  wrote %d tasks in %.1f s (API p50 %s p99 %s ms) with the sidecar down", events, writes.seconds(),
				Report.ms(writes.latency().p50()), Report.ms(writes.latency().p99())));
		this.measurements.measure("drain",
				"7. backlog drain: " + events + " events, from the publishing sidecar's restart to all three "
						+ "subscribers (latency column: the API writes while it was down)",
				() -> drained(lo, hi, events, writes));
	}

	private Measured drained(long lo, long hi, long events, Measured writes) throws Exception {
		this.database.resetStatementTimes();
		this.stack.start("tasks-dapr");
		this.stack.pid("tasks-dapr").ifPresent((pid) -> this.measurements.usage().replace("tasks-dapr", pid));
		Timestamp healthy = this.database.now();
		long deadline = System.nanoTime() + Duration.ofMinutes(this.options.quick() ? 2 : 6).toNanos();
		while (System.nanoTime() < deadline && !(this.database.fewestHandledSince(healthy) >= events
				&& this.database.delivered(lo, hi).values().stream().allMatch((handled) -> handled >= events))) {
			Thread.sleep(DRAIN_POLL.toMillis());
		}
		double published = this.database.secondsAfter(healthy,
				"SELECT max(published_at) FROM tasks.outbox WHERE id > " + lo + " AND id <= " + hi);
		Map<String, Double> done = new LinkedHashMap<>();
		for (String subscriber : BenchDatabase.SUBSCRIBERS) {
			done.put(subscriber,
					Measurements.round(this.database.secondsAfter(healthy,
							"SELECT max(p.processed_at) FROM tasks.outbox o JOIN " + subscriber
									+ ".processed_events p ON p.event_id = o.event_id WHERE o.id > " + lo
									+ " AND o.id <= " + hi)));
		}
		double took = done.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
		this.measurements.note(String.format(Locale.ROOT,
				"Drain of %d events: the relay had published them all %.1f s after the sidecar was healthy; "
						+ "each subscriber had all of them after (s): %s (times from published_at and "
						+ "processed_at; the run checked for completion every %d s).",
				events, published, done, DRAIN_POLL.toSeconds()));
		this.measurements.note("PostgreSQL during the drain " + this.database.busiestStatements(8));
		Scenario.Pipeline pipeline = new Scenario.Pipeline(0, 0, events, this.database.delivered(lo, hi), Map.of(), 0,
				0, Measurements.round(took), Measurements.round(published));
		return new Measured(took, events, writes.failures(), writes.latency(), pipeline);
	}

}
