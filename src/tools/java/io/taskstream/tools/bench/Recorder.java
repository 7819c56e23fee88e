package io.taskstream.tools.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Collects latency samples (nanoseconds) from many threads and counts failures. Memory
 * grows in chunks with the samples (no large up-front arrays for the load generator's
 * garbage collector to move), and samples beyond the capacity are counted but not kept.
 */
final class Recorder {

	private static final int CHUNK = 1 << 16;

	private final AtomicReferenceArray<long[]> chunks;

	private final long capacity;

	private final AtomicLong next = new AtomicLong();

	private final AtomicLong failures = new AtomicLong();

	Recorder(long capacity) {
		this.capacity = capacity;
		this.chunks = new AtomicReferenceArray<>((int) ((capacity + CHUNK - 1) / CHUNK));
	}

	void record(long nanos) {
		long index = this.next.getAndIncrement();
		if (index < this.capacity) {
			int chunk = (int) (index / CHUNK);
			long[] samples = this.chunks.get(chunk);
			if (samples == null) {
				this.chunks.compareAndSet(chunk, null, new long[CHUNK]);
				samples = this.chunks.get(chunk);
			}
			samples[(int) (index % CHUNK)] = nanos;
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

	/** Call once the recording threads are done. */
	Latencies latencies() {
		int kept = (int) Math.min(this.next.get(), this.capacity);
		long[] samples = new long[kept];
		for (int i = 0; i < kept; i++) {
			samples[i] = this.chunks.get(i / CHUNK)[i % CHUNK];
		}
		return Latencies.ofNanos(samples);
	}

}
