package io.taskstream.notifications;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.taskstream.events.TaskEvent;
import io.taskstream.platform.Problems;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code webhooks} and {@code webhook_deliveries} tables, and how deliveries are
 * signed.
 */
class Webhooks {

	private final JdbcClient jdbc;

	private final int limitPerUser;

	/**
	 * @param limitPerUser webhooks a user may have ({@code taskstream.quotas})
	 */
	Webhooks(JdbcClient jdbc, int limitPerUser) {
		this.jdbc = jdbc;
		this.limitPerUser = limitPerUser;
	}

	/**
	 * Registers a webhook, unless the user has as many as they may: every webhook costs a
	 * delivery per event, so a user's count is bounded. Concurrent registrations of one
	 * user may overshoot by their number: the count is read in the insert, not locked.
	 */
	Webhook register(String user, String url, List<String> events, String secret) {
		return this.jdbc.sql("""
				INSERT INTO notifications.webhooks (user_id, url, events, secret)
				SELECT :user, :url, :events, :secret
				WHERE (SELECT count(*) FROM notifications.webhooks WHERE user_id = :user) < :limit
				RETURNING id, url, events, created_at
				""")
			.param("user", user)
			.param("url", url)
			.param("events", events.toArray(String[]::new))
			.param("secret", secret)
			.param("limit", this.limitPerUser)
			.query(Webhooks::webhook)
			.optional()
			.orElseThrow(() -> Problems.tooManyRequests(
					"A user may have " + this.limitPerUser + " webhooks; delete one before registering another.",
					Duration.ofSeconds(60)));
	}

	List<Webhook> list(String user) {
		return this.jdbc
			.sql("SELECT id, url, events, created_at FROM notifications.webhooks WHERE user_id = :user ORDER BY id")
			.param("user", user)
			.query(Webhooks::webhook)
			.list();
	}

	boolean delete(String user, long id) {
		return this.jdbc.sql("DELETE FROM notifications.webhooks WHERE id = :id AND user_id = :user")
			.param("id", id)
			.param("user", user)
			.update() == 1;
	}

	boolean owns(String user, long id) {
		return this.jdbc.sql("SELECT count(*) FROM notifications.webhooks WHERE id = :id AND user_id = :user")
			.param("id", id)
			.param("user", user)
			.query(Long.class)
			.single() == 1;
	}

	/**
	 * Queues the event for each of its user's webhooks that wants its type; in the
	 * caller's transaction.
	 */
	int enqueue(TaskEvent event, String payload) {
		return this.jdbc.sql("""
				INSERT INTO notifications.webhook_deliveries (webhook_id, event_id, payload)
				SELECT id, :event, :payload FROM notifications.webhooks
				WHERE user_id = :user AND :type = ANY (events)
				ON CONFLICT (webhook_id, event_id) DO NOTHING
				""")
			.param("event", event.eventId())
			.param("payload", payload)
			.param("user", event.userId())
			.param("type", event.eventType())
			.update();
	}

	List<Delivery> deliveries(long webhookId) {
		return this.jdbc.sql("""
				SELECT id, event_id, status, attempts, last_status_code, last_error, created_at, delivered_at
				FROM notifications.webhook_deliveries WHERE webhook_id = :id ORDER BY id DESC LIMIT 500
				""")
			.param("id", webhookId)
			.query((rs, n) -> new Delivery(rs.getLong("id"), rs.getString("event_id"), rs.getString("status"),
					rs.getInt("attempts"), (Integer) rs.getObject("last_status_code"), rs.getString("last_error"),
					instant(rs, "created_at"), instant(rs, "delivered_at")))
			.list();
	}

	/**
	 * The signature header's value: {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of
	 * "<t>.<body>" with the webhook's secret>}. A receiver recomputes it and rejects
	 * timestamps too far from its clock, so a captured delivery cannot be replayed later.
	 */
	static String signature(String secret, long timestamp, String body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
			return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * @param secret shown once, when the webhook is registered
	 */
	record Webhook(long id, String url, List<String> events, Instant createdAt, String secret) {
	}

	record Delivery(long id, String eventId, String status, int attempts, Integer lastStatusCode, String lastError,
			Instant createdAt, Instant deliveredAt) {
	}

	private static Webhook webhook(ResultSet rs, int row) throws SQLException {
		return new Webhook(rs.getLong("id"), rs.getString("url"),
				Arrays.asList((String[]) rs.getArray("events").getArray()), instant(rs, "created_at"), null);
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
		return (time != null) ? time.toInstant() : null;
	}

}
