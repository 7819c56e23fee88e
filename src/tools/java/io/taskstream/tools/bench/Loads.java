package io.taskstream.tools.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** The shapes of load: closed loops, open loops and warm-up loops. */
final class Loads {

	private Loads() {
	}

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
		return Measured.of(recorder, (System.nanoTime() - start) / 1e9);
	}

	static Measured openLoop(double rate, double seconds, OpenLoop.Call call) throws InterruptedException {
		return Measured.of(new OpenLoop(rate, 256).run(seconds, call));
	}

	/**
	 * Calls as fast as they return until {@code stop}; failures ignored (warm-up only).
	 */
	static Thread loop(AtomicBoolean stop, OpenLoop.Call call) {
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

}
