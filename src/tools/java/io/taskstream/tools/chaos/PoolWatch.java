package io.taskstream.tools.chaos;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleSupplier;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The tasks role's connection pool seen from outside while the load runs, once a second
 * through its actuator: how many requests waited for a connection at most (and when), how
 * many connections were in use at most, and how many waits ended in the pool's timeout (a
 * 503). The waiting and the timeouts are the line's in front of the pool
 * ({@code taskstream.database.connections.*}): Hikari's own counts stop at the pool's
 * size, which is all the line lets in. A 503 while the database is up is a failure of the
 * verdict; this says whether the pool was why.
 */
final class PoolWatch implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String metrics;

	private final DoubleSupplier clock;

	private final Thread thread;

	private volatile boolean running = true;

	private double maxPending;

	private double maxPendingAt = Double.NaN;

	private double maxActive;

	private double size = Double.NaN;

	/**
	 * @param managementPort the role's actuator port
	 * @param clock the load's seconds, to say when the most requests waited
	 */
	PoolWatch(int managementPort, DoubleSupplier clock) {
		this.metrics = "http://127.0.0.1:" + managementPort + "/actuator/metrics/";
		this.clock = clock;
		this.thread = new Thread(this::watch, "pool-watch");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void watch() {
		long next = System.nanoTime();
		while (this.running) {
			double pending = value("taskstream.database.connections.waiting");
			double active = value("hikaricp.connections.active");
			synchronized (this) {
				if (pending > this.maxPending) {
					this.maxPending = pending;
					this.maxPendingAt = this.clock.getAsDouble();
				}
				// a read that failed (NaN) would make every later maximum NaN, printed 0
				if (!Double.isNaN(active)) {
					this.maxActive = Math.max(this.maxActive, active);
				}
			}
			if (Double.isNaN(this.size)) {
				this.size = value("hikaricp.connections.max");
			}
			next += 1_000_000_000L;
			long wait = next - System.nanoTime();
			if (wait > 0) {
				try {
					Thread.sleep(wait / 1_000_000);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}
	}

	/** A metric's first measurement, or NaN while the role does not answer. */
	private double value(String metric) {
		try {
			HttpResponse<String> response = this.http.send(
					HttpRequest.newBuilder(URI.create(this.metrics + metric)).timeout(Duration.ofSeconds(2)).build(),
					HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				return Double.NaN;
			}
			JsonNode measurements = json.readTree(response.body()).get("measurements");
			return measurements.get(0).get("value").asDouble();
		}
		catch (java.io.IOException | RuntimeException ex) {
			return Double.NaN;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Double.NaN;
		}
	}

	/** What was seen, as the run's measurements. */
	synchronized Map<String, Object> seen() {
		Map<String, Object> seen = new LinkedHashMap<>();
		seen.put("tasks pool: connections in use, most (of " + Math.round(this.size) + ")", Math.round(this.maxActive));
		seen.put("tasks pool: requests waiting for a connection, most", (this.maxPending > 0)
				? Math.round(this.maxPending) + " at " + Math.round(this.maxPendingAt) + " s" : "0");
		seen.put("tasks pool: waits that timed out", Math.round(value("taskstream.database.connections.timeouts")));
		return seen;
	}

	@Override
	public void close() throws InterruptedException {
		this.running = false;
		this.thread.interrupt();
		this.thread.join(5_000);
	}

}
