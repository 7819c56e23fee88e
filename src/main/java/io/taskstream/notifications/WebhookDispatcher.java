package io.taskstream.notifications;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

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
 */
final class WebhookDispatcher implements SmartLifecycle {

	/** How often it looks for due deliveries when nothing woke it. */
	private static final Duration POLL = Duration.ofMillis(200);

	private final JdbcClient jdbc;

	private final WebhookTargets targets;

	private final WebhooksProperties settings;

	private final MeterRegistry registry;

	private final WebhookSender sender;

	/** The calls in flight; made at each start, as a stop shuts them down. */
	private volatile ExecutorService senders;

	private final Backoff retries;

	/** Claims due deliveries and hands them to the senders. */
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
		this.senders = Executors.newFixedThreadPool(4, (task) -> {
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

	/** Sends what is due; looks again at once if there was any. */
	private Duration dispatchDue() {
		List<Due> due = claim();
		due.forEach((delivery) -> this.senders.execute(() -> deliver(delivery)));
		return due.isEmpty() ? POLL : Duration.ZERO;
	}

	/**
	 * Takes due deliveries with a one-minute lease, so a crash mid-call only delays them.
	 */
	private List<Due> claim() {
		return this.jdbc.sql("""
				UPDATE notifications.webhook_deliveries d SET next_attempt_at = now() + interval '60 seconds'
				FROM notifications.webhooks w
				WHERE w.id = d.webhook_id AND d.id IN (
				  SELECT id FROM notifications.webhook_deliveries
				  WHERE status = 'pending' AND next_attempt_at <= now()
				  ORDER BY next_attempt_at LIMIT 20 FOR UPDATE SKIP LOCKED)
				RETURNING d.id, d.event_id, d.payload, d.attempts, d.created_at, w.url, w.secret
				""")
			.query((rs, n) -> new Due(rs.getLong("id"), rs.getString("event_id"), rs.getString("payload"),
					rs.getInt("attempts"), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
					rs.getString("url"), rs.getString("secret")))
			.list();
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

	private record Due(long id, String eventId, String payload, int attempts, Instant createdAt, String url,
			String secret) {
	}

}
