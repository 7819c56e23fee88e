package io.taskstream.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;

/** The {@code audit.dead_letters} table as the operators' API reads and changes it. */
class DeadLetterStore {

	private static final String SELECT = """
			SELECT id, message_id, topic, reason, payload, first_seen, last_seen, times_seen, status,
			       redriven_at, redrive_count
			FROM audit.dead_letters""";

	private final JdbcClient jdbc;

	DeadLetterStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** The first 500 dead letters, oldest first, of one status or all. */
	List<DeadLetter> list(String status) {
		return this.jdbc
			.sql(SELECT + " WHERE CAST(:status AS varchar) IS NULL OR status = :status ORDER BY id LIMIT 500")
			.param("status", status)
			.query(DeadLetterStore::row)
			.list();
	}

	Optional<DeadLetter> find(long id) {
		return this.jdbc.sql(SELECT + " WHERE id = :id").param("id", id).query(DeadLetterStore::row).optional();
	}

	void markRedriven(long id) {
		this.jdbc
			.sql("""
					UPDATE audit.dead_letters SET status = 'redriven', redriven_at = now(), redrive_count = redrive_count + 1
					WHERE id = :id
					""")
			.param("id", id)
			.update();
	}

	void reopen(long id) {
		this.jdbc.sql("UPDATE audit.dead_letters SET status = 'open' WHERE id = :id").param("id", id).update();
	}

	/**
	 * @param payload the message as it was dead-lettered
	 */
	record DeadLetter(long id, String messageId, String topic, String reason, String status, Instant firstSeen,
			Instant lastSeen, int timesSeen, Instant redrivenAt, int redriveCount, String payload) {
	}

	private static DeadLetter row(ResultSet rs, int n) throws SQLException {
		return new DeadLetter(rs.getLong("id"), rs.getString("message_id"), rs.getString("topic"),
				rs.getString("reason"), rs.getString("status"),
				instant(rs.getObject("first_seen", OffsetDateTime.class)),
				instant(rs.getObject("last_seen", OffsetDateTime.class)), rs.getInt("times_seen"),
				instant(rs.getObject("redriven_at", OffsetDateTime.class)), rs.getInt("redrive_count"),
				rs.getString("payload"));
	}

	private static Instant instant(OffsetDateTime time) {
		return (time != null) ? time.toInstant() : null;
	}

}
