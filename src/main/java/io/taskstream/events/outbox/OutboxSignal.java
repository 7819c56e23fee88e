package io.taskstream.events.outbox;

/** Wakes the relay when a transaction with events commits, so it need not poll. */
final class OutboxSignal {

	private boolean woken;

	synchronized void wake() {
		this.woken = true;
		notifyAll();
	}

	/** Waits until woken or the timeout passes; either way the signal is reset. */
	synchronized void await(long millis) throws InterruptedException {
		long deadline = System.currentTimeMillis() + millis;
		while (!this.woken) {
			long left = deadline - System.currentTimeMillis();
			if (left <= 0) {
				break;
			}
			wait(left);
		}
		this.woken = false;
	}

}
