package io.taskstream.tools.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Issues calls at a fixed rate whatever the answers take (an open loop), and measures
 * each call from the moment it was due, not from when a worker got to it, so a stalled
 * system shows its queueing (no coordinated omission). A call that would exceed
 * {@code maxInFlight} is not made but counted as missed: the system did not keep up. The
 * reliability scenarios ({@code tools.chaos}) drive their load with it too.
 */
public final class OpenLoop {

	/** What one call does; a thrown exception counts as a failure. */
	public interface Call {

		void run(long index) throws Exception;

	}

	/** What a run did. */
	public record Outcome(long due, long missed, double seconds, Recorder recorder) {

		/** Calls that succeeded, per second of the run. */
		double achievedRate() {
			return this.recorder.count() / this.seconds;
		}

	}

	private final double ratePerSecond;

	private final int maxInFlight;

	/** Set by {@link #stop()}: no call falls due after it. */
	private volatile boolean stopped;

	public OpenLoop(double ratePerSecond, int maxInFlight) {
		if (ratePerSecond <= 0) {
			throw new IllegalArgumentException("rate must be positive");
		}
		this.ratePerSecond = ratePerSecond;
		this.maxInFlight = maxInFlight;
	}

	/** When call {@code index} is due, in nanoseconds after the start. */
	long dueNanos(long index) {
		return (long) (index * 1e9 / this.ratePerSecond);
	}

	/** How many calls fall due in a run of this length. */
	long callsIn(double seconds) {
		return (long) Math.ceil(seconds * this.ratePerSecond);
	}

	/**
	 * Ends a run early (from another thread): calls due later are not made; the run still
	 * waits for those in flight.
	 */
	public void stop() {
		this.stopped = true;
	}

	/**
	 * Runs for {@code seconds} (or until {@link #stop()}), then waits for the calls in
	 * flight.
	 */
	public Outcome run(double seconds, Call call) throws InterruptedException {
		return run(seconds, call, new Recorder(callsIn(seconds)));
	}

	/** The same, adding to a recorder that may hold earlier runs' samples. */
	Outcome run(double seconds, Call call, Recorder recorder) throws InterruptedException {
		long calls = callsIn(seconds);
		ExecutorService workers = Executors.newFixedThreadPool(this.maxInFlight, (runnable) -> {
			Thread thread = new Thread(runnable, "open-loop");
			thread.setDaemon(true);
			return thread;
		});
		AtomicInteger inFlight = new AtomicInteger();
		long missed = 0;
		long start = System.nanoTime();
		for (long i = 0; i < calls && !this.stopped; i++) {
			long due = start + dueNanos(i);
			long wait;
			while ((wait = due - System.nanoTime()) > 0 && !this.stopped) {
				LockSupport.parkNanos(Math.min(wait, 50_000_000L));
			}
			if (this.stopped) {
				break;
			}
			if (inFlight.incrementAndGet() > this.maxInFlight) {
				inFlight.decrementAndGet();
				missed++;
				continue;
			}
			long index = i;
			workers.execute(() -> {
				try {
					call.run(index);
					recorder.record(System.nanoTime() - due);
				}
				catch (Exception ex) {
					recorder.failed();
				}
				finally {
					inFlight.decrementAndGet();
				}
			});
		}
		workers.shutdown();
		workers.awaitTermination(5, TimeUnit.MINUTES);
		return new Outcome(calls, missed, (System.nanoTime() - start) / 1e9, recorder);
	}

}
