package io.taskstream.audit;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The stored history read in position order, a page at a time, for replays and for a role
 * rebuilding its projection. Every page is one short indexed query (by position), however
 * long the history.
 */
class EventHistory {

	private final JdbcClient jdbc;

	EventHistory(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** The events after {@code after} that match, oldest first. */
	List<Stored> page(long after, Instant from, Instant to, Long taskId, String userId, int limit) {
		return this.jdbc.sql("""
				SELECT position, task_id, envelope FROM audit.events
				WHERE position > :after AND occurred_at BETWEEN :from AND :to
				  AND (CAST(:taskId AS bigint) IS NULL OR task_id = :taskId)
				  AND (CAST(:userId AS varchar) IS NULL OR user_id = :userId)
				ORDER BY position LIMIT :limit
				""")
			.param("after", after)
			.param("from", OffsetDateTime.ofInstant(from, ZoneOffset.UTC))
			.param("to", OffsetDateTime.ofInstant(to, ZoneOffset.UTC))
			.param("taskId", taskId)
			.param("userId", userId)
			.param("limit", limit)
			.query((rs, n) -> new Stored(rs.getLong("position"), rs.getLong("task_id"), rs.getString("envelope")))
			.list();
	}

	/** The whole history after {@code after}, oldest first. */
	List<Stored> page(long after, int limit) {
		return page(after, Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999Z"), null,
				null, limit);
	}

	/**
	 * @param envelope the event's envelope as it arrived, byte for byte
	 */
	record Stored(long position, long taskId, String envelope) {
	}

}
