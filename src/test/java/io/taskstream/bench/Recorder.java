package io.taskstream.bench;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Collects latency samples (nanoseconds) from many threads and counts failures. Samples
 * beyond the capacity are counted but not kept, so a run can never exhaust the heap.
 */
final class Recorder {

	private final long[] samples;

	private final AtomicLong next = new AtomicLong();

	private final AtomicLong failures = new AtomicLong();

	Recorder(int capacity) {
		this.samples = new long[capacity];
	}

	void record(long nanos) {
		long index = this.next.getAndIncrement();
		if (index < this.samples.length) {
			this.samples[(int) index] = nanos;
		}
	}

	void failed() {
		this.failures.incrementAndGet();
	}

	long count() {
		return this.next.get();
	}

	long failures() {
		return this.failures.get();
	}

	Latencies latencies() {
		return Latencies.ofNanos(Arrays.copyOf(this.samples, (int) Math.min(this.next.get(), this.samples.length)));
	}

}
