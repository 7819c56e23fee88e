package io.taskstream.notifications;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskstream.platform.Backoff;
import io.taskstream.platform.Worker;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Delivers queued webhook calls on threads of its own, so a slow or dead receiver never
 * slows event consumption. Each call is signed ({@link Webhooks#signature}), and a failed
 * one is retried with exponential backoff and full jitter until {@code retryFor} has
 * passed since the event, then marked failed. Every try is in the delivery log.
 * <p>
 * Bounded, and fair to other users:
 * <ul>
 * <li>It claims a delivery only for a free sender ({@code maxInFlight}), so nothing waits
 * in memory and nothing claimed waits for a thread.</li>
 * <li>At most {@code maxInFlightPerTarget} calls go to one host at a time, and the claim
 * looks at every host's oldest due deliveries, not only the oldest overall: a receiver
 * that hangs holds that many senders, never the pool, and other hosts' deliveries go
 * on.</li>
 * <li>A claim is a lease ({@code next_attempt_at} in the future), so a crash mid-call
 * only delays the delivery; the claimer renews the leases of the calls in flight, so a
 * lease never runs out under a slow receiver and no receiver gets a delivery twice
 * because it was slow.</li>
 * </ul>
 */
final class WebhookDispatcher implements SmartLifecycle {

	/** How often it looks for due deliveries when nothing woke it. */
	private static final Duration POLL = Duration.ofMillis(200);

	/**
	 * A delivery's host, as the claim groups them: what follows the scheme up to a port,
	 * path, query or fragment (registration refuses user info).
	 */
	private static final String TARGET = "lower(substring(w.url FROM '^[^:]+://(\\[[^]]*\\]|[^/?#:]*)'))";

	private final JdbcClient jdbc;

	private final WebhookTargets targets;

	private final WebhooksProperties settings;

	private final MeterRegistry registry;

	private final WebhookSender sender;

	/** The calls in flight; made at each start, as a stop shuts them down. */
	private volatile ExecutorService senders;

	private final Backoff retries;

	/** The deliveries in flight, by id, with their host. */
	private final Map<Long, String> inFlight = new ConcurrentHashMap<>();

	/**
	 * Held while leases are renewed and while a retry moves a delivery's next try, so a
	 * renewal never pushes a retry that just finished out to the lease's end.
	 */
	private final Object leases = new Object();

	private long nextRenewal = System.nanoTime();

	/** Claims due deliveries for free senders and renews the leases in flight. */
	private final Worker claimer = new Worker("webhook-dispatcher", this::dispatchDue, Backoff.fixed(POLL));

	WebhookDispatcher(JdbcClient jdbc, WebhookTargets targets, WebhooksProperties settings, MeterRegistry registry) {
		this.jdbc = jdbc;
		this.targets = targets;
		this.settings = settings;
		this.registry = registry;
		this.sender = new WebhookSender(settings.timeout());
		this.retries = new Backoff(settings.initialBackoff(), settings.maxBackoff());
	}

	/** Called after a transaction that queued deliveries commits. */
	void wake() {
		this.claimer.wake();
	}

	@Override
	public void start() {
		int threads = this.settings.maxInFlight();
		// the queue only bridges the moment between a sender freeing its slot and taking
		// the next task: claims never exceed free slots
		this.senders = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
				new ArrayBlockingQueue<>(threads), (task) -> {
					Thread thread = new Thread(task, "webhook-sender");
					thread.setDaemon(true);
					return thread;
				});
		this.claimer.start();
	}

	@Override
	public void stop() {
		this.claimer.stop();
		this.senders.shutdownNow();
	}

	@Override
	public boolean isRunning() {
		return this.claimer.isRunning();
	}

	/**
	 * Sends what is due, as far as senders are free; looks again at once if there was
	 * any.
	 */
	private Duration dispatchDue() {
		renewLeasesIfDue();
		int free = this.settings.maxInFlight() - this.inFlight.size();
		if (free <= 0) {
			// a sender that finishes wakes the claimer
			return POLL;
		}
		List<Due> due = claim(free);
		for (Due delivery : due) {
			this.inFlight.put(delivery.id(), delivery.target());
			this.senders.execute(() -> send(delivery));
		}
		return due.isEmpty() ? POLL : Duration.ZERO;
	}

	/**
	 * Takes up to {@code free} due deliveries under a lease, at most
	 * {@code maxInFlightPerTarget} per host counting those in flight. The candidates are
	 * each host's oldest due deliveries, so a host with a long queue cannot hide the
	 * others; the lease is taken only if no other instance took it first.
	 */
	private List<Due> claim(int free) {
		int perTarget = this.settings.maxInFlightPerTarget();
		Map<String, Long> busy = this.inFlight.values()
			.stream()
			.collect(Collectors.groupingBy((target) -> target, Collectors.counting()));
		List<Candidate> candidates = this.jdbc.sql("""
				SELECT id, target FROM (
				  SELECT d.id, d.next_attempt_at, %s AS target,
				         row_number() OVER (PARTITION BY %s ORDER BY d.next_attempt_at, d.id) AS n
				  FROM notifications.webhook_deliveries d JOIN notifications.webhooks w ON w.id = d.webhook_id
				  WHERE d.status = 'pending' AND d.next_attempt_at <= now()) due
				WHERE n <= :perTarget
				ORDER BY next_attempt_at, id LIMIT :scan
				""".formatted(TARGET, TARGET))
			.param("perTarget", perTarget)
			.param("scan", free + perTarget * busy.size())
			.query((rs, n) -> new Candidate(rs.getLong("id"), rs.getString("target")))
			.list();
		Map<Long, String> picked = new HashMap<>();
		Map<String, Long> taken = new HashMap<>(busy);
		for (Candidate candidate : candidates) {
			if (picked.size() < free && taken.getOrDefault(candidate.target(), 0L) < perTarget) {
				picked.put(candidate.id(), candidate.target());
				taken.merge(candidate.target(), 1L, Long::sum);
			}
		}
		if (picked.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql("""
				UPDATE notifications.webhook_deliveries d SET next_attempt_at = now() + make_interval(secs => :lease)
				FROM notifications.webhooks w
				WHERE w.id = d.webhook_id AND d.id IN (:ids) AND d.status = 'pending' AND d.next_attempt_at <= now()
				RETURNING d.id, d.event_id, d.payload, d.attempts, d.created_at, w.url, w.secret
				""")
			.param("lease", this.settings.lease().toMillis() / 1000.0)
			.param("ids", new ArrayList<>(picked.keySet()))
			.query((rs, n) -> new Due(rs.getLong("id"), rs.getString("event_id"), rs.getString("payload"),
					rs.getInt("attempts"), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
					rs.getString("url"), rs.getString("secret"), picked.get(rs.getLong("id"))))
			.list();
	}

	/**
	 * Pushes the leases of the calls in flight out by a whole lease, every third of one:
	 * a call that takes longer than a lease keeps its delivery, so it is not sent twice.
	 */
	private void renewLeasesIfDue() {
		if (this.inFlight.isEmpty() || System.nanoTime() - this.nextRenewal < 0) {
			return;
		}
		this.nextRenewal = System.nanoTime() + this.settings.lease().toNanos() / 3;
		synchronized (this.leases) {
			List<Long> ids = new ArrayList<>(this.inFlight.keySet());
			if (!ids.isEmpty()) {
				this.jdbc
					.sql("""
							UPDATE notifications.webhook_deliveries SET next_attempt_at = now() + make_interval(secs => :lease)
							WHERE id IN (:ids) AND status = 'pending'
							""")
					.param("lease", this.settings.lease().toMillis() / 1000.0)
					.param("ids", ids)
					.update();
			}
		}
	}

	/** Runs one call on a sender, then frees its slot for the next claim. */
	private void send(Due delivery) {
		try {
			deliver(delivery);
		}
		finally {
			this.inFlight.remove(delivery.id());
			this.claimer.wake();
		}
	}

	private void deliver(Due delivery) {
		// resolved once here; the sender connects to exactly these addresses
		WebhookTargets.Target target = this.targets.check(delivery.url());
		if (target.refusal() != null) {
			finish(delivery, "failed", null, "target " + target.refusal());
			return;
		}
		long timestamp = Instant.now().getEpochSecond();
		try {
			int status = this.sender
				.post(target,
						Map.of("X-Taskstream-Event-Id", delivery.eventId(), "X-Taskstream-Signature",
								Webhooks.signature(delivery.secret(), timestamp, delivery.payload())),
						delivery.payload());
			if (status / 100 == 2) {
				finish(delivery, "delivered", status, null);
			}
			else {
				retry(delivery, status, "the receiver answered " + status);
			}
		}
		catch (IOException ex) {
			retry(delivery, null, ex.toString());
		}
	}

	private void retry(Due delivery, Integer status, String error) {
		int attempts = delivery.attempts() + 1;
		if (Instant.now().isAfter(delivery.createdAt().plus(this.settings.retryFor()))) {
			finish(delivery, "failed", status, "gave up after " + attempts + " tries: " + error);
			return;
		}
		long delay = this.retries.jitteredAfter(attempts).toMillis();
		synchronized (this.leases) {
			this.jdbc.sql("""
					UPDATE notifications.webhook_deliveries SET attempts = :attempts, last_status_code = :status,
					       last_error = :error, next_attempt_at = now() + make_interval(secs => :delay)
					WHERE id = :id
					""")
				.param("attempts", attempts)
				.param("status", status)
				.param("error", truncate(error))
				.param("delay", delay / 1000.0)
				.param("id", delivery.id())
				.update();
			// no renewal may move the retry now
			this.inFlight.remove(delivery.id());
		}
		count("retry");
	}

	private void finish(Due delivery, String status, Integer code, String error) {
		this.jdbc.sql("""
				UPDATE notifications.webhook_deliveries SET status = :status, attempts = attempts + 1,
				       last_status_code = :code, last_error = :error,
				       delivered_at = CASE WHEN :status = 'delivered' THEN now() END
				WHERE id = :id
				""")
			.param("status", status)
			.param("code", code)
			.param("error", (error != null) ? truncate(error) : null)
			.param("id", delivery.id())
			.update();
		count(status);
	}

	private void count(String outcome) {
		Counter.builder("taskstream.webhook.deliveries")
			.description("Webhook delivery tries by outcome")
			.tag("outcome", outcome)
			.register(this.registry)
			.increment();
	}

	private static String truncate(String text) {
		return (text.length() <= 1000) ? text : text.substring(0, 1000);
	}

	/** A claimed delivery; {@code target} is its host, as the claim grouped it. */
	private record Due(long id, String eventId, String payload, int attempts, Instant createdAt, String url,
			String secret, String target) {
	}

	private record Candidate(long id, String target) {
	}

}
