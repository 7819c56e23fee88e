package io.taskstream.tools.chaos;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import io.taskstream.tools.stack.StackPorts;

/**
 * PostgreSQL stopped (SIGTERM: a fast shutdown that ends every session) for 30 s under
 * load, then started again. While it is down the API must answer 503 with
 * {@code Retry-After} and nothing else (no 500, no success that is then lost), readiness
 * must go DOWN so a load balancer stops routing; afterwards the relay and the subscribers
 * must resume by themselves, with every committed change at every subscriber once.
 */
final class DbRestart implements ChaosScenario {

	static final Duration OUTAGE = Duration.ofSeconds(30);

	private static final Duration RECOVERY = Duration.ofSeconds(120);

	/**
	 * How long after every role is ready again a call may still be answered 503: one that
	 * began waiting for a pooled connection during the outage waits at most the pool's
	 * {@code taskstream.database.connection-timeout} (10 s) for it.
	 */
	static final Duration POOL_WAIT = Duration.ofSeconds(10);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	@Override
	public String name() {
		return "db-restart";
	}

	@Override
	public String summary() {
		return "PostgreSQL stopped for " + OUTAGE.toSeconds() + " s, then started again";
	}

	/** Calls made while the database is down are answered 503 (with Retry-After). */
	@Override
	public Set<Integer> toleratedStatuses() {
		return Set.of(503);
	}

	@Override
	public void inject(ChaosRun run) throws Exception {
		ChaosDatabase database = run.database();
		double stoppedAt = run.loadSeconds();
		run.stack().stop("postgres");
		run.happened("stopped postgres for " + OUTAGE.toSeconds() + " s");
		long deadline = System.nanoTime() + OUTAGE.toNanos();
		double readinessDown = run.await("readiness DOWN on every role", OUTAGE,
				() -> StackPorts.ROLES.stream().noneMatch((role) -> ready(run, role)));
		run.measure("readiness DOWN on every role after (s)", readinessDown);
		run.pause(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
		run.stack().start("postgres");
		Instant restarted = run.now();
		double restartedAt = run.loadSeconds();
		run.happened("started postgres again");
		double ready = run.await("readiness UP on every role", RECOVERY,
				() -> StackPorts.ROLES.stream().allMatch((role) -> ready(run, role)));
		run.measure("readiness UP on every role after restart (s)", ready);
		double readyAt = run.loadSeconds();
		run.await("publishing after the restart", RECOVERY, () -> !Double.isNaN(database.firstPublishAfter(restarted)));
		run.measure("publishing resumed after restart (s)", database.firstPublishAfter(restarted));
		for (String subscriber : ChaosDatabase.SUBSCRIBERS) {
			run.await(subscriber + " applying after the restart", RECOVERY,
					() -> !Double.isNaN(database.firstDeliveryAfter(subscriber, restarted)));
			run.measure(subscriber + " applying again after restart (s)",
					database.firstDeliveryAfter(subscriber, restarted));
		}
		run.await("the backlog of the outage drained", RECOVERY, () -> !Double.isNaN(database.drainedAfter(restarted)));
		run.measure("backlog drained after restart (s)", database.drainedAfter(restarted));
		// a second with every call answered 2xx, after the restart
		run.pause(Duration.ofSeconds(3));
		int clean = run.load().firstCleanSecondFrom(restartedAt);
		run.measure("API all 2xx again after restart (s)", (clean < 0) ? Double.NaN : clean - restartedAt);
		run.measure("API calls failing from the stop (s)", firstFailing(run, stoppedAt));
		// the 503 is tolerated only while the database is away: before the stop, or once
		// every role is ready again (and the last waiter's pool wait is over), a failed
		// call is a real failure, not the outage's
		long whileUp = failedWhileUp(run, stoppedAt, readyAt + POOL_WAIT.toSeconds());
		run.measure("calls failed while the database was up", whileUp);
		if (whileUp > 0) {
			run.fail(whileUp + " calls failed while the database was up (before the stop or more than "
					+ POOL_WAIT.toSeconds() + " s after every role was ready again): " + run.load().failedSeconds());
		}
		long withoutRetryAfter = run.load().unavailableWithoutRetryAfter();
		run.measure("503 answers without Retry-After", withoutRetryAfter);
		if (withoutRetryAfter > 0) {
			run.fail(withoutRetryAfter + " answers were 503 without Retry-After");
		}
	}

	/**
	 * Calls answered with a failure in a second of the load before {@code from} or after
	 * {@code to} (by the second their answer came).
	 */
	static long failedWhileUp(ChaosRun run, double from, double to) {
		return run.load()
			.failedSeconds()
			.entrySet()
			.stream()
			.filter((second) -> second.getKey() + 1 <= from || second.getKey() > to)
			.mapToLong(java.util.Map.Entry::getValue)
			.sum();
	}

	/** When, after the stop, the first failing second of the load began. */
	private static double firstFailing(ChaosRun run, double stoppedAt) {
		return run.load()
			.failedSeconds()
			.keySet()
			.stream()
			.filter((second) -> second + 1 >= stoppedAt)
			.findFirst()
			.map((second) -> Math.max(0, second - stoppedAt))
			.orElse(Double.NaN);
	}

	private boolean ready(ChaosRun run, String role) {
		try {
			HttpResponse<Void> response = this.http.send(HttpRequest
				.newBuilder(URI
					.create("http://127.0.0.1:" + run.ports().of(role).management() + "/actuator/health/readiness"))
				.timeout(Duration.ofSeconds(5))
				.build(), HttpResponse.BodyHandlers.discarding());
			return response.statusCode() == 200;
		}
		catch (java.io.IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
