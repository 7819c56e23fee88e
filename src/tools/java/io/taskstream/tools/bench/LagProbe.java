package io.taskstream.tools.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples, once a second, how many of the step's events the slowest subscriber has not
 * handled yet: writes acknowledged so far minus the events each subscriber recorded since
 * the step began.
 */
final class LagProbe {

	final AtomicLong written = new AtomicLong();

	private final BenchDatabase database;

	private final Timestamp since;

	private final double seconds;

	private final AtomicBoolean stop = new AtomicBoolean();

	private Thread thread;

	volatile long lagAtThird;

	volatile long lagAtEnd;

	LagProbe(BenchDatabase database, Timestamp since, double seconds) {
		this.database = database;
		this.since = since;
		this.seconds = seconds;
	}

	void start() {
		this.thread = new Thread(() -> {
			long start = System.nanoTime();
			boolean third = false;
			try (Connection connection = this.database.connect()) {
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
				Benchmark.progress("lag probe stopped: " + ex);
			}
		}, "lag-probe");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private long lag(Connection connection) throws SQLException {
		return Math.max(0, this.written.get() - BenchDatabase.fewestHandledSince(connection, this.since));
	}

	void stop() throws InterruptedException {
		this.stop.set(true);
		this.thread.join();
	}

}
