package io.taskstream.platform;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events streams per user over items kept in the database, each with an id
 * that a client can resume after ({@code Last-Event-ID}).
 * <p>
 * A stream only ever sends what it reads from the database after the last id it sent:
 * first what the client missed, then, each time the user's items change, what is new. For
 * that to have no gaps, a user's items must become visible in id order, which concurrent
 * writers (a subscriber takes several topics at once) do not guarantee by themselves: a
 * later id can commit first. So each writer calls {@link #appending} in its transaction
 * before its insert takes an id: that holds the user's append lock until commit and wakes
 * the user's streams after it. The same order makes a polling cursor over the items safe.
 * <p>
 * Each stream reads and writes page by page on a writer ({@link SseStream}), so memory
 * per stream is one page. The writers are a pool of at most
 * {@link SseProperties#writers()} threads, which go after a while without work: an idle
 * stream holds no thread (the servlet container keeps its connection open
 * asynchronously), so ten thousand open streams cost ten thousand connections and no more
 * threads than are writing at the moment. A heartbeat round or a burst of wakes queues
 * the streams' runs (one per stream at most) for the writers. At most
 * {@link SseProperties#readers()} of them read from the database at once (a bulkhead in
 * front of the pool), so the streams leave the other connections to the role's work. A
 * client that stops reading holds up only its own stream unless {@code writers} clients
 * stop at once, and then only until the write timeout. Heartbeat comments, sent by the
 * hub's {@link Worker}, keep proxies from closing idle streams. Live items reach the
 * clients connected to this instance; a reconnect to any instance catches up.
 * <p>
 * A {@link SmartLifecycle} in the default phase, so it stops before the web server's
 * graceful shutdown waits for open requests: each stream ends with a reconnect hint
 * within {@link SseProperties#shutdownWait()} instead of holding shutdown for the whole
 * grace period.
 *
 * @param <T> the items, each with an id that grows in the order a user's items commit
 */
public final class SseHub<T> implements SmartLifecycle, AutoCloseable {

	/**
	 * The request attribute holding a new stream's start, run once Spring MVC has handed
	 * the emitter its response ({@link SseStarts}).
	 */
	static final String START = SseHub.class.getName() + ".start";

	private final Map<String, Set<SseStream<T>>> streams = new ConcurrentHashMap<>();

	private final String eventName;

	private final ToLongFunction<T> id;

	private final JdbcClient jdbc;

	private final SseProperties settings;

	private final ThreadPoolExecutor writers;

	/** The bulkhead: the streams' reads from the database at once. */
	private final Semaphore readers;

	/** Sends heartbeats, off the writers' threads. */
	private final Worker heartbeats;

	private volatile boolean running;

	/**
	 * @param name the SSE event name, also the {@code stream} tag of the
	 * {@code taskstream_sse_clients} gauge
	 * @param id an item's id, sent as the SSE id
	 * @param jdbc the database of the items
	 */
	public SseHub(String name, ToLongFunction<T> id, SseProperties settings, MeterRegistry registry, JdbcClient jdbc) {
		this.eventName = name;
		this.id = id;
		this.jdbc = jdbc;
		this.settings = settings;
		AtomicInteger threads = new AtomicInteger();
		// bounded: a thread per stream that has something to write, not per open
		// stream (a heartbeat round wakes them all); the queue holds at most one run per
		// stream, and idle writers go after a while
		this.writers = new ThreadPoolExecutor(settings.writers(), settings.writers(), 30, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), (task) -> {
					Thread thread = new Thread(task, "sse-" + name + "-" + threads.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		this.writers.allowCoreThreadTimeOut(true);
		this.readers = new Semaphore(settings.readers());
		this.heartbeats = new Worker("sse-" + name, this::heartbeat,
				new Backoff(Duration.ofMillis(100), settings.heartbeat()));
		Gauge.builder("taskstream.sse.clients", this, SseHub::connected)
			.description("Server-Sent Events streams open")
			.tag("stream", name)
			.register(registry);
	}

	/**
	 * Opens a stream; its first frame is the reconnect delay ({@code retry:}).
	 * @param lastEventId the last id the client saw, 0 for none
	 * @param items reads the stream's items after an id, oldest first (its filters
	 * included)
	 */
	public SseEmitter open(String user, long lastEventId, Items<T> items) {
		SseEmitter emitter = new SseEmitter(Duration.ofMinutes(30).toMillis());
		SseStream<T> stream = register(user, lastEventId, items, SseStream.Sink.of(emitter));
		emitter.onCompletion(() -> remove(user, stream));
		emitter.onTimeout(() -> remove(user, stream));
		emitter.onError((error) -> remove(user, stream));
		try {
			// kept by the emitter until Spring hands it the response, which it then
			// commits
			// at once, so a client sees the stream open before anything is new
			emitter.send(SseEmitter.event().reconnectTime(this.settings.reconnectDelay().toMillis()));
		}
		catch (IOException ex) {
			// not written yet, so it cannot fail
			throw new IllegalStateException(ex);
		}
		if (!this.running) {
			stream.close("closing: the server is shutting down; reconnect");
		}
		else {
			RequestAttributes request = RequestContextHolder.getRequestAttributes();
			if (request != null) {
				request.setAttribute(START, (Runnable) stream::start, RequestAttributes.SCOPE_REQUEST);
			}
			else {
				stream.start();
			}
		}
		return emitter;
	}

	/** A stream over any sink: {@link #open} with an emitter, or a test's. */
	SseStream<T> register(String user, long lastEventId, Items<T> items, SseStream.Sink sink) {
		SseStream<T> stream = new SseStream<>(sink, lastEventId, bounded(items), this.id, this.eventName, this.settings,
				this.writers);
		this.streams.computeIfAbsent(user, (key) -> ConcurrentHashMap.newKeySet()).add(stream);
		return stream;
	}

	/** The stream's reads, each taking one of the hub's readers for its duration. */
	private Items<T> bounded(Items<T> items) {
		return (lastEventId, limit) -> {
			this.readers.acquireUninterruptibly();
			try {
				return items.after(lastEventId, limit);
			}
			finally {
				this.readers.release();
			}
		};
	}

	void remove(String user, SseStream<T> stream) {
		stream.ended();
		this.streams.computeIfPresent(user, (key, ofUser) -> {
			ofUser.remove(stream);
			return ofUser.isEmpty() ? null : ofUser;
		});
	}

	/**
	 * Called in a writer's transaction before it inserts an item of the user: takes the
	 * user's append lock (a PostgreSQL advisory lock held until the transaction ends), so
	 * that the user's ids commit in order, and wakes the user's streams once it commits.
	 */
	public void appending(String user) {
		this.jdbc.sql("SELECT pg_advisory_xact_lock(:stream, hashtext(:user))")
			.param("stream", this.eventName.hashCode())
			.param("user", user)
			.query()
			.singleRow();
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				wake(user);
			}
		});
	}

	/**
	 * Sends what is new to the user's open streams, each on its own writer: the
	 * committing thread only hands the work over.
	 */
	void wake(String user) {
		Set<SseStream<T>> ofUser = this.streams.get(user);
		if (ofUser != null) {
			ofUser.forEach(SseStream::wake);
		}
	}

	/**
	 * The worker's round: a heartbeat to every stream, each written by its own writer.
	 */
	private Duration heartbeat() {
		this.streams.values().forEach((ofUser) -> ofUser.forEach(SseStream::heartbeat));
		return this.settings.heartbeat();
	}

	/** The most writer threads there have been at once. */
	int mostWriters() {
		return this.writers.getLargestPoolSize();
	}

	int connected() {
		return this.streams.values().stream().mapToInt(Set::size).sum();
	}

	@Override
	public void start() {
		this.running = true;
		this.heartbeats.start();
	}

	/**
	 * Ends every stream with a reconnect hint and waits a few seconds for them to end; a
	 * client that does not read by then is left to the server's write timeout.
	 */
	@Override
	public void stop() {
		this.running = false;
		this.heartbeats.stop();
		List<SseStream<T>> open = this.streams.values().stream().flatMap(Set::stream).toList();
		open.forEach((stream) -> stream.close("closing: the server is shutting down; reconnect with Last-Event-ID"));
		List<CompletableFuture<Void>> ending = open.stream().map(SseStream::whenEnded).toList();
		try {
			CompletableFuture.allOf(ending.toArray(CompletableFuture[]::new))
				.get(this.settings.shutdownWait().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// what has not ended yet ends by the server's write timeout
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public void close() {
		stop();
		this.writers.shutdownNow();
	}

	/** Reads a stream's items after an id, oldest first, at most a page at a time. */
	@FunctionalInterface
	public interface Items<T> {

		/**
		 * @param limit the most items to return; fewer (but at least one if there is one)
		 * if the reader also caps a page's bytes
		 */
		List<T> after(long lastEventId, int limit);

	}

}
