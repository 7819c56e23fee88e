package io.taskstream.platform;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link SseHub} and {@link SseStream} without a server: a sink stands for the client, so
 * a test decides exactly when a client reads.
 * <p>
 * Why not an out-of-memory run here: a separate JVM at the chart's 256 MB heap with an
 * embedded PostgreSQL and a 30 MB backlog takes minutes on the shared CI cores. What made
 * the JVM run out of memory was a stream holding its whole backlog (the catch-up was sent
 * before Spring had handed the emitter its response, so the emitter kept every event). So
 * these tests pin the bound that replaces it: a stream reads a page only when the page
 * before is written, and a client that never reads holds one page, whatever the backlog
 * ({@link #tenClientsThatNeverReadHoldOnePageEachHoweverLargeTheBacklog}); the event
 * tail's page is also capped at 1 MiB of envelopes (EventStore), so ten stalled streams
 * hold at most about 10 MiB (plus one event each) where today's code held ten times the
 * backlog. The real-socket tests are in {@code LiveStreamIntegrationTests}.
 */
class SseHubTests {

	private final List<SseHub<Long>> hubs = new CopyOnWriteArrayList<>();

	private final CountDownLatch never = new CountDownLatch(1);

	static SseProperties settings() {
		return new SseProperties(Duration.ofMinutes(1), 100, Duration.ofSeconds(10), Duration.ofSeconds(2),
				Duration.ofSeconds(3), 32, 4);
	}

	@AfterEach
	void closeHubs() {
		this.never.countDown();
		this.hubs.forEach(SseHub::close);
	}

	@Test
	void aBacklogIsReadAndSentPageByPageInIdOrder() {
		SseHub<Long> hub = hub(settings());
		Backlog backlog = new Backlog(1050);
		Recorder client = new Recorder(null);
		SseStream<Long> stream = hub.register("alice", 0, backlog, client);
		client.stream = stream;
		stream.start();

		await().until(() -> client.ids.size() == 1050);
		assertThat(client.ids).containsExactlyElementsOf(LongStream.rangeClosed(1, 1050).boxed().toList());
		assertThat(backlog.reads.get()).as("11 pages and the empty read that ends the catch-up").isEqualTo(12);
		assertThat(backlog.largestPage.get()).isEqualTo(100);
		assertThat(client.mostQueued.get()).as("items held while writing").isLessThanOrEqualTo(100);
	}

	@Test
	void tenClientsThatNeverReadHoldOnePageEachHoweverLargeTheBacklog() {
		SseHub<Long> hub = hub(settings());
		Backlog backlog = new Backlog(1_000_000);
		List<SseStream<Long>> streams = new CopyOnWriteArrayList<>();
		for (int i = 0; i < 10; i++) {
			SseStream<Long> stream = hub.register("alice", 0, backlog, new Recorder(this.never));
			streams.add(stream);
			stream.start();
		}

		await().until(() -> streams.stream().allMatch((stream) -> stream.queued() == 100));
		assertThat(backlog.reads.get()).as("one page each, no read ahead").isEqualTo(10);
		assertThat(streams).allSatisfy((stream) -> assertThat(stream.queued()).isLessThanOrEqualTo(100));
	}

	@Test
	void tenThousandStreamsShareTheBoundedWritersAndEachGetsItsHeartbeatAndItems() {
		SseHub<Long> hub = hub(new SseProperties(Duration.ofMillis(200), 100, Duration.ofSeconds(10),
				Duration.ofSeconds(2), Duration.ofSeconds(3), 4, 4));
		Backlog backlog = new Backlog(3);
		List<Recorder> clients = new ArrayList<>();
		for (int i = 0; i < 10_000; i++) {
			Recorder client = new Recorder(null);
			hub.register("user-" + (i % 2_000), 0, backlog, client).start();
			clients.add(client);
		}

		await().until(() -> clients.stream()
			.allMatch((client) -> client.ids.size() == 3 && client.frames.contains(":heartbeat\n\n")));
		assertThat(hub.mostWriters()).as("writer threads").isLessThanOrEqualTo(4);
	}

	@Test
	void aBurstOfNewStreamsReadsWithAtMostTheReadersAtOnce() {
		SseHub<Long> hub = hub(settings());
		Backlog backlog = new Backlog(2);
		backlog.readMillis = 20;
		List<Recorder> clients = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			Recorder client = new Recorder(null);
			hub.register("user-" + i, 0, backlog, client).start();
			clients.add(client);
		}

		await().until(() -> clients.stream().allMatch((client) -> client.ids.size() == 2));
		assertThat(hub.mostWriters()).as("writers busy with the burst").isEqualTo(32);
		assertThat(backlog.mostReading.get()).as("reads at once: the readers, not the writers").isEqualTo(4);
	}

	@Test
	void aClientThatStopsReadingDelaysNoOtherClient() {
		SseHub<Long> hub = hub(settings());
		Backlog backlog = new Backlog(10);
		hub.register("alice", 0, backlog, new Recorder(this.never)).start();
		hub.register("bob", 0, backlog, new Recorder(this.never)).start();
		Recorder bob = new Recorder(null);
		hub.register("bob", 0, backlog, bob).start();
		await().until(() -> bob.ids.size() == 10);

		for (int i = 0; i < 5; i++) {
			long sent = System.nanoTime();
			backlog.add();
			hub.wake("alice");
			hub.wake("bob");
			int expected = 11 + i;
			await().atMost(Duration.ofSeconds(5)).until(() -> bob.ids.size() == expected);
			assertThat(Duration.ofNanos(bob.arrivals.get(expected - 1) - sent)).isLessThan(Duration.ofMillis(100));
		}
	}

	@Test
	void aStreamWhoseRequestTheContainerAlreadyEndedEndsWithoutAnExceptionOnItsWriter() throws Exception {
		// what Tomcat does when a client goes away between two frames: the write fails,
		// and
		// completing the request afterwards is refused because the container's error
		// handling has ended it already
		List<Throwable> uncaught = new CopyOnWriteArrayList<>();
		Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
		Thread.setDefaultUncaughtExceptionHandler((thread, ex) -> uncaught.add(ex));
		try {
			SseHub<Long> hub = hub(settings());
			Backlog backlog = new Backlog(5);
			SseStream<Long> gone = hub.register("alice", 0, backlog, new EndedByTheContainer());
			gone.start();
			SseStream<Long> closing = hub.register("alice", 0, backlog, new EndedByTheContainer(false));
			closing.start();
			closing.close("closing: the server is shutting down");

			gone.whenEnded().get(5, TimeUnit.SECONDS);
			closing.whenEnded().get(5, TimeUnit.SECONDS);
			Recorder next = new Recorder(null);
			hub.register("alice", 0, backlog, next).start();
			await().until(() -> next.ids.size() == 5);
			assertThat(uncaught).isEmpty();
		}
		finally {
			Thread.setDefaultUncaughtExceptionHandler(before);
		}
	}

	@Test
	void aClientSlowerThanTheWriteTimeoutIsClosedWithAReconnectHintAndResumesWithoutLoss() {
		// a write timeout well above a busy machine's hiccups, a slow write well above it
		SseHub<Long> hub = hub(new SseProperties(Duration.ofMinutes(1), 100, Duration.ofSeconds(1),
				Duration.ofMillis(1500), Duration.ofSeconds(3), 32, 4));
		Backlog backlog = new Backlog(250);
		Recorder slow = new Recorder(null);
		slow.slowAt = 120;
		hub.register("alice", 0, backlog, slow).start();

		await().until(() -> slow.completed);
		assertThat(slow.ids).containsExactlyElementsOf(LongStream.rangeClosed(1, 120).boxed().toList());
		assertThat(slow.frames.get(slow.frames.size() - 1)).contains("retry:1500")
			.contains(":closing: this client read too slowly")
			.contains("Last-Event-ID 120");

		Recorder resumed = new Recorder(null);
		hub.register("alice", slow.ids.get(slow.ids.size() - 1), backlog, resumed).start();
		await().until(() -> resumed.ids.size() == 130);
		assertThat(resumed.ids).containsExactlyElementsOf(LongStream.rangeClosed(121, 250).boxed().toList());
	}

	@Test
	void stoppingEndsEveryStreamWithAReconnectHintWithoutWaitingForClientsThatDoNotRead() {
		SseHub<Long> hub = hub(settings());
		Backlog backlog = new Backlog(10);
		Recorder reading = new Recorder(null);
		hub.register("alice", 0, backlog, reading).start();
		hub.register("bob", 0, backlog, new Recorder(this.never)).start();
		await().until(() -> reading.ids.size() == 10);

		long began = System.nanoTime();
		hub.stop();

		assertThat(Duration.ofNanos(System.nanoTime() - began)).as("the shutdown wait, 3 s, and not more")
			.isLessThan(Duration.ofSeconds(5));
		assertThat(reading.completed).isTrue();
		assertThat(reading.frames.get(reading.frames.size() - 1)).contains("retry:2000")
			.contains("the server is shutting down");
		assertThat(hub.isRunning()).isFalse();
	}

	private SseHub<Long> hub(SseProperties settings) {
		SseHub<Long> hub = new SseHub<>("test", (id) -> id, settings, new SimpleMeterRegistry(), null);
		hub.start();
		this.hubs.add(hub);
		return hub;
	}

	/** Items 1..n, growing on {@link #add}, counting reads. */
	static final class Backlog implements SseHub.Items<Long> {

		final AtomicInteger size;

		final AtomicInteger reads = new AtomicInteger();

		final AtomicInteger largestPage = new AtomicInteger();

		final AtomicInteger reading = new AtomicInteger();

		final AtomicInteger mostReading = new AtomicInteger();

		/** How long each read takes, as a slow or busy database would. */
		volatile long readMillis;

		Backlog(int size) {
			this.size = new AtomicInteger(size);
		}

		void add() {
			this.size.incrementAndGet();
		}

		@Override
		public List<Long> after(long lastEventId, int limit) {
			this.reads.incrementAndGet();
			this.mostReading.accumulateAndGet(this.reading.incrementAndGet(), Math::max);
			try {
				Thread.sleep(this.readMillis);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				this.reading.decrementAndGet();
			}
			List<Long> page = LongStream.rangeClosed(lastEventId + 1, Math.min(this.size.get(), lastEventId + limit))
				.boxed()
				.toList();
			this.largestPage.accumulateAndGet(page.size(), Math::max);
			return page;
		}

	}

	/**
	 * A request the container has ended after an error: writes fail (unless told they
	 * still go through), and completing the emitter is refused as Tomcat refuses it.
	 */
	static final class EndedByTheContainer implements SseStream.Sink {

		private final boolean writesFail;

		EndedByTheContainer() {
			this(true);
		}

		EndedByTheContainer(boolean writesFail) {
			this.writesFail = writesFail;
		}

		@Override
		public void send(SseEmitter.SseEventBuilder event) throws IOException {
			if (this.writesFail) {
				throw new IOException("Broken pipe");
			}
		}

		@Override
		public void complete() {
			throw new IllegalStateException("A non-container (application) thread attempted to use the AsyncContext "
					+ "after an error had occurred and the call to AsyncListener.onError() had returned.");
		}

	}

	/**
	 * A client: records what it takes; if given a latch, blocks on its first item until
	 * the latch opens (a client that stopped reading).
	 */
	static final class Recorder implements SseStream.Sink {

		final List<String> frames = new CopyOnWriteArrayList<>();

		final List<Long> ids = new CopyOnWriteArrayList<>();

		final List<Long> arrivals = new CopyOnWriteArrayList<>();

		final AtomicInteger mostQueued = new AtomicInteger();

		private final CountDownLatch blockOn;

		volatile SseStream<Long> stream;

		/** The id whose write takes longer than any write timeout here. */
		volatile long slowAt = -1;

		volatile boolean completed;

		Recorder(CountDownLatch blockOn) {
			this.blockOn = blockOn;
		}

		@Override
		public void send(SseEmitter.SseEventBuilder event) throws IOException {
			StringBuilder frame = new StringBuilder();
			event.build().forEach((part) -> frame.append(part.getData()));
			if (this.blockOn != null && frame.toString().startsWith("id:")) {
				try {
					this.blockOn.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			if (this.stream != null) {
				this.mostQueued.accumulateAndGet(this.stream.queued(), Math::max);
			}
			this.frames.add(frame.toString());
			if (frame.toString().startsWith("id:")) {
				long id = Long.parseLong(frame.substring(3, frame.indexOf("\n")));
				if (id == this.slowAt) {
					// a client slower than the write timeout: the write returns late
					await().pollDelay(Duration.ofMillis(1500)).until(() -> true);
				}
				this.ids.add(id);
				this.arrivals.add(System.nanoTime());
			}
		}

		@Override
		public void complete() {
			this.completed = true;
		}

	}

}
