package io.taskstream.platform;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Background work on a named daemon thread of its own: runs a step, sleeps as long as the
 * step asks or until {@link #wake() woken}, and again; a step that throws is run again
 * after a {@link Backoff}. The one way background loops are written here (the outbox
 * relay, the inbox sweeper, the webhook dispatcher, the SSE hub's sender), so none hand
 * rolls its own thread, wait/notify or backoff.
 * <p>
 * A wake that comes while the step runs is kept: the next sleep ends at once, so work
 * signalled during a run is never missed (e.g. a commit right after the relay's query).
 */
public final class Worker {

	private static final Log log = LogFactory.getLog(Worker.class);

	private final String name;

	private final Step step;

	private final Backoff onFailure;

	private final Object signal = new Object();

	private boolean woken;

	private volatile boolean running;

	private Thread thread;

	/**
	 * @param name the thread's name, also used in logs
	 * @param step one round of work
	 * @param onFailure the wait after a step that threw, by failures in a row
	 */
	public Worker(String name, Step step, Backoff onFailure) {
		this.name = name;
		this.step = step;
		this.onFailure = onFailure;
	}

	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.running = true;
		this.thread = new Thread(this::loop, this.name);
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/**
	 * Stops after the current step, waiting up to five seconds for it: a step is not
	 * interrupted, so a transaction it is in ends normally.
	 */
	public void stop() {
		Thread stopping;
		synchronized (this) {
			this.running = false;
			stopping = this.thread;
			this.thread = null;
		}
		wake();
		if (stopping != null && stopping != Thread.currentThread()) {
			try {
				stopping.join(5_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/** Whether it runs; a step that loops should stop early once this is false. */
	public boolean isRunning() {
		return this.running;
	}

	/** Ends the current sleep now, or the next one if a step is running. */
	public void wake() {
		synchronized (this.signal) {
			this.woken = true;
			this.signal.notifyAll();
		}
	}

	private void loop() {
		int failures = 0;
		while (this.running) {
			Duration wait;
			try {
				wait = this.step.run();
				failures = 0;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (Exception ex) {
				failures++;
				wait = this.onFailure.after(failures);
				log.warn(this.name + " failed (" + failures + " in a row), trying again in " + wait.toMillis() + " ms: "
						+ ex);
				log.debug(this.name + " failure", ex);
			}
			if (!sleep(wait)) {
				return;
			}
		}
	}

	/** Sleeps until woken or the wait is over; false if interrupted. */
	private boolean sleep(Duration wait) {
		long deadline = System.nanoTime() + Math.max(0, wait.toNanos());
		synchronized (this.signal) {
			try {
				while (!this.woken && this.running) {
					long left = deadline - System.nanoTime();
					if (left <= 0) {
						break;
					}
					this.signal.wait(Math.max(1, left / 1_000_000));
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
			this.woken = false;
		}
		return true;
	}

	/** One round of background work. */
	@FunctionalInterface
	public interface Step {

		/**
		 * @return how long to sleep before the next round unless woken;
		 * {@link Duration#ZERO} to run again at once
		 * @throws Exception on a failure: the round is run again after the backoff
		 */
		Duration run() throws Exception;

	}

}
