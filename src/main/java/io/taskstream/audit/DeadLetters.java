package io.taskstream.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.taskstream.events.CloudEvents;
import io.taskstream.events.DeadLetterHandler;
import io.taskstream.events.PoisonEventException;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the audit role does with {@code task.deadletter}: records each message some
 * subscriber gave up on, with the topic it came from and why, one row per message however
 * often it comes back.
 */
class DeadLetters implements DeadLetterHandler {

	private final JdbcClient jdbc;

	DeadLetters(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void handle(byte[] cloudEvent) {
		String payload = new String(cloudEvent, StandardCharsets.UTF_8);
		JsonNode root = parseOrNull(payload);
		String originalTopic = CloudEvents.originalTopic(cloudEvent);
		this.jdbc.sql("""
				INSERT INTO audit.dead_letters (message_id, topic, reason, payload)
				VALUES (:messageId, :topic, :reason, :payload)
				ON CONFLICT (message_id) DO UPDATE
				SET last_seen = now(), times_seen = dead_letters.times_seen + 1, reason = EXCLUDED.reason,
				    status = 'open'
				""")
			.param("messageId", messageId(root, cloudEvent))
			.param("topic", originalTopic)
			.param("reason", reason(cloudEvent))
			.param("payload", payload)
			.update();
	}

	/**
	 * Why it was dropped: the same check every subscriber makes, or a subscriber's
	 * failure.
	 */
	static String reason(byte[] cloudEvent) {
		try {
			CloudEvents.read(cloudEvent);
			return "a subscriber could not process it: dropped, or out of retries";
		}
		catch (PoisonEventException ex) {
			String reason = "poison: " + ex.getMessage();
			return (reason.length() <= 2000) ? reason : reason.substring(0, 2000);
		}
	}

	private static JsonNode parseOrNull(String payload) {
		try {
			JsonNode root = CloudEvents.tree(payload);
			return (root != null && root.isObject()) ? root : null;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/** The CloudEvent's id, or a digest of bytes that are not one. */
	private static String messageId(JsonNode root, byte[] body) {
		if (root != null && root.path("id").isString() && !root.path("id").asString().isBlank()) {
			String id = root.path("id").asString();
			return (id.length() <= 200) ? id : id.substring(0, 200);
		}
		try {
			return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
