package io.taskstream.tools.chaos;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Many live notification streams held by one JVM, as browsers would hold them: the JDK's
 * HTTP client, asynchronous, one connection per stream, all of them read by the client's
 * one selector thread and a small pool, so ten thousand streams cost ten thousand sockets
 * and no thread each. Each data line is matched to the task change it reports, for the
 * time from the change to the stream.
 */
final class LiveStreams implements AutoCloseable {

	private static final Pattern TASK_ID = Pattern.compile("\"taskId\"\\s*:\\s*(\\d+)");

	private static final Pattern CREATED_AT = Pattern.compile("\"createdAt\"\\s*:\\s*\"([^\"]+)\"");

	private final ExecutorService pool = Executors.newFixedThreadPool(2, (task) -> {
		Thread thread = new Thread(task, "live-streams");
		thread.setDaemon(true);
		return thread;
	});

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(20))
		.executor(this.pool)
		.build();

	private final URI stream;

	private final Function<String, String> tokens;

	/** Answers to opening a stream, by status (0: no answer). */
	private final Map<Integer, AtomicLong> answers = new ConcurrentHashMap<>();

	private final AtomicInteger open = new AtomicInteger();

	private final AtomicInteger ended = new AtomicInteger();

	/** When each change was made ({@link System#nanoTime()}), by task id. */
	private final Map<Long, Long> changes = new ConcurrentHashMap<>();

	/** The same, by the wall clock the database's {@code now()} shares. */
	private final Map<Long, Instant> changedAt = new ConcurrentHashMap<>();

	/**
	 * Per received change: from the change to the notification's transaction
	 * ({@code created_at}: API, outbox, Kafka, sidecar, inbox), in milliseconds.
	 */
	private final List<Long> toNotification = new CopyOnWriteArrayList<>();

	/** Per received change: from the notification's transaction to the stream. */
	private final List<Long> notificationToStream = new CopyOnWriteArrayList<>();

	/** Change-to-stream times, in nanoseconds, one per stream that got the change. */
	private final List<Long> latencies = new CopyOnWriteArrayList<>();

	private final AtomicLong unexpected = new AtomicLong();

	/**
	 * @param port the notifications role's API port
	 */
	LiveStreams(int port, Function<String, String> tokens) {
		this.stream = URI.create("http://127.0.0.1:" + port + "/api/v1/notifications/stream");
		this.tokens = tokens;
	}

	/**
	 * Opens {@code perUser} streams for each user, at most {@code inFlight} opening at
	 * once, and waits until each is answered (or {@code limit} passed).
	 * @return the seconds it took
	 */
	double openAll(List<String> users, int perUser, int inFlight, Duration limit, Runnable progress)
			throws InterruptedException {
		Semaphore opening = new Semaphore(inFlight);
		long started = System.nanoTime();
		int asked = 0;
		for (String user : users) {
			for (int i = 0; i < perUser; i++) {
				opening.acquire();
				asked++;
				open(user).whenComplete((status, failure) -> opening.release());
				if (asked % 1000 == 0) {
					progress.run();
				}
			}
		}
		opening.tryAcquire(inFlight, limit.toMillis(), TimeUnit.MILLISECONDS);
		opening.release(inFlight);
		return (System.nanoTime() - started) / 1e9;
	}

	/**
	 * Opens one stream of the user; completes with its status once the headers are in
	 * (the stream itself goes on).
	 */
	java.util.concurrent.CompletableFuture<Integer> open(String user) {
		java.util.concurrent.CompletableFuture<Integer> answered = new java.util.concurrent.CompletableFuture<>();
		HttpRequest request = HttpRequest.newBuilder(this.stream)
			.header("Authorization", "Bearer " + this.tokens.apply(user))
			.header("Accept", "text/event-stream")
			.build();
		this.http.sendAsync(request, (info) -> {
			count(info.statusCode());
			if (info.statusCode() != 200) {
				answered.complete(info.statusCode());
				return HttpResponse.BodySubscribers.discarding();
			}
			// counted open before it is answered: openAll returns once all are answered
			this.open.incrementAndGet();
			answered.complete(info.statusCode());
			return HttpResponse.BodySubscribers.fromLineSubscriber(new Lines());
		}).whenComplete((response, failure) -> {
			if (!answered.isDone()) {
				count(0);
				answered.complete(0);
			}
		});
		return answered;
	}

	/** Notes a change of a task, just before it is made. */
	void changing(long taskId) {
		this.changedAt.put(taskId, Instant.now());
		this.changes.put(taskId, System.nanoTime());
	}

	int open() {
		return this.open.get();
	}

	int ended() {
		return this.ended.get();
	}

	int received() {
		return this.latencies.size();
	}

	long unexpected() {
		return this.unexpected.get();
	}

	Map<Integer, Long> answers() {
		Map<Integer, Long> answers = new TreeMap<>();
		this.answers.forEach((status, count) -> answers.put(status, count.get()));
		return answers;
	}

	/** The change-to-stream time at a percentile (0-100), in milliseconds. */
	double percentileMillis(double percentile) {
		List<Long> sorted = new ArrayList<>(this.latencies);
		if (sorted.isEmpty()) {
			return Double.NaN;
		}
		sorted.sort(null);
		int index = (int) Math.min(sorted.size() - 1, Math.ceil(percentile / 100 * sorted.size()) - 1);
		return sorted.get(Math.max(0, index)) / 1e6;
	}

	/**
	 * The two legs of the change-to-stream time at a percentile, in milliseconds: to the
	 * notification's transaction, and from it to the stream.
	 */
	String legsMillis(double percentile) {
		return percentile(this.toNotification, percentile) + " ms to the notification, "
				+ percentile(this.notificationToStream, percentile) + " ms from it to the stream";
	}

	private static long percentile(List<Long> values, double percentile) {
		List<Long> sorted = new ArrayList<>(values);
		if (sorted.isEmpty()) {
			return -1;
		}
		sorted.sort(null);
		int index = (int) Math.min(sorted.size() - 1, Math.ceil(percentile / 100 * sorted.size()) - 1);
		return sorted.get(Math.max(0, index));
	}

	private void count(int status) {
		this.answers.computeIfAbsent(status, (key) -> new AtomicLong()).incrementAndGet();
	}

	@Override
	public void close() {
		// the client has no close before Java 21: its connections end with the stack
		this.pool.shutdownNow();
	}

	/** One stream's lines: data lines are notifications, the rest is ignored. */
	private final class Lines implements Flow.Subscriber<String> {

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(String line) {
			if (!line.startsWith("data:")) {
				return;
			}
			long arrived = System.nanoTime();
			Matcher id = TASK_ID.matcher(line);
			Long changed = id.find() ? LiveStreams.this.changes.get(Long.parseLong(id.group(1))) : null;
			if (changed == null) {
				LiveStreams.this.unexpected.incrementAndGet();
			}
			else {
				LiveStreams.this.latencies.add(arrived - changed);
				Instant changedAt = LiveStreams.this.changedAt.get(Long.parseLong(id.group(1)));
				Matcher created = CREATED_AT.matcher(line);
				if (changedAt != null && created.find()) {
					Instant notified = Instant.parse(created.group(1));
					LiveStreams.this.toNotification.add(Duration.between(changedAt, notified).toMillis());
					LiveStreams.this.notificationToStream.add(Duration.between(notified, Instant.now()).toMillis());
				}
			}
		}

		@Override
		public void onError(Throwable failure) {
			streamEnded();
		}

		@Override
		public void onComplete() {
			streamEnded();
		}

		private void streamEnded() {
			LiveStreams.this.open.decrementAndGet();
			LiveStreams.this.ended.incrementAndGet();
		}

	}

}
