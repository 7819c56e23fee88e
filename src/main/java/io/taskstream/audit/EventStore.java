package io.taskstream.audit;

import java.time.ZoneOffset;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.JsonValue;
import io.taskstream.events.TaskEvent;
import io.taskstream.platform.SseHub;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code audit.events}: every event once, in arrival order. Appending is idempotent on
 * the event id, which makes the table its own inbox.
 */
class EventStore {

	/** The envelope bytes a page of the live tail holds at most (but one event). */
	static final int STREAM_PAGE_BYTES = 1 << 20;

	private static final JsonMapper json = JsonMapper.builder().build();

	private final JdbcClient jdbc;

	private final SseHub<StoredEvent> live;

	EventStore(JdbcClient jdbc, SseHub<StoredEvent> live) {
		this.jdbc = jdbc;
		this.live = live;
	}

	/**
	 * Stores the event, in the order of the user's other events
	 * ({@link SseHub#appending}); once the transaction commits, it goes to the user's
	 * live streams.
	 * @return {@code false} if the event was stored before
	 */
	boolean append(TaskEvent event) {
		this.live.appending(event.userId());
		return this.jdbc.sql("""
				INSERT INTO audit.events (event_id, event_type, task_id, user_id, sequence, occurred_at, envelope)
				VALUES (:eventId, :type, :taskId, :userId, :sequence, :occurredAt, CAST(:envelope AS json))
				ON CONFLICT (event_id) DO NOTHING
				""")
			.param("eventId", event.eventId())
			.param("type", event.eventType())
			.param("taskId", event.taskId())
			.param("userId", event.userId())
			.param("sequence", event.sequence())
			.param("occurredAt", event.timestamp().atOffset(ZoneOffset.UTC))
			.param("envelope", json.writeValueAsString(event))
			.update() == 1;
	}

	/** One user's events after a position, oldest first. */
	List<StoredEvent> page(EventQuery query) {
		return this.jdbc.sql("""
				SELECT position, envelope FROM audit.events
				WHERE user_id = :userId AND position > :after
				  AND (CAST(:taskId AS bigint) IS NULL OR task_id = :taskId)
				  AND (CAST(:type AS varchar) IS NULL OR event_type = :type)
				ORDER BY position LIMIT :limit
				""")
			.param("userId", query.userId())
			.param("after", query.after())
			.param("taskId", query.taskId())
			.param("type", query.type())
			.param("limit", query.limit())
			.query((rs, n) -> new StoredEvent(rs.getLong("position"), rs.getString("envelope")))
			.list();
	}

	/**
	 * A page of the live tail: as {@link #page}, but no more rows than fit in
	 * {@value #STREAM_PAGE_BYTES} bytes of envelopes (always the first row), since a
	 * stream holds its page in memory until its client has taken it and events may be
	 * large. Only the rows sent are read from the database.
	 */
	List<StoredEvent> streamPage(EventQuery query) {
		return this.jdbc
			.sql("""
					SELECT position, envelope FROM (
					  SELECT position, envelope,
					         sum(octet_length(envelope::text)) OVER (ORDER BY position) - octet_length(envelope::text) AS before
					  FROM (SELECT position, envelope FROM audit.events
					        WHERE user_id = :userId AND position > :after
					          AND (CAST(:taskId AS bigint) IS NULL OR task_id = :taskId)
					          AND (CAST(:type AS varchar) IS NULL OR event_type = :type)
					        ORDER BY position LIMIT :limit) AS next
					) AS capped
					WHERE before < :maxBytes ORDER BY position
					""")
			.param("userId", query.userId())
			.param("after", query.after())
			.param("taskId", query.taskId())
			.param("type", query.type())
			.param("limit", query.limit())
			.param("maxBytes", STREAM_PAGE_BYTES)
			.query((rs, n) -> new StoredEvent(rs.getLong("position"), rs.getString("envelope")))
			.list();
	}

	/**
	 * An event as stored; as JSON (the live stream) it is its envelope.
	 *
	 * @param position the event's place in the store, the polling cursor and SSE id
	 * @param envelope the envelope's JSON as it arrived
	 */
	record StoredEvent(@JsonIgnore long position, @JsonIgnore String envelope) {

		@JsonValue
		@JsonRawValue
		String json() {
			return this.envelope;
		}

	}

	/** What a poll asks for. */
	record EventQuery(String userId, Long taskId, String type, long after, int limit) {
	}

}
