package io.taskstream.audit;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import io.taskstream.events.CloudEvents;
import io.taskstream.events.EventPublisher;
import io.taskstream.platform.ConditionalOnRole;
import io.taskstream.platform.OperatorOnly;
import io.taskstream.platform.Problems;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operator tooling for dead letters: list them, and redrive one to its original topic
 * once the consumer (or the event) is fixed. A redriven event that fails again comes back
 * to the list as open; nothing redrives automatically, so there is no loop.
 */
@RestController
@RequestMapping(path = "/api/v1/deadletters",
		produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE })
@ConditionalOnRole("audit")
class DeadLettersController {

	/**
	 * Fields the sidecar adds to a CloudEvent, which it must set anew when it is
	 * republished.
	 */
	private static final List<String> SIDECAR_FIELDS = List.of("topic", "pubsubname", "traceid", "traceparent",
			"tracestate");

	private final JdbcClient jdbc;

	private final EventPublisher publisher;

	DeadLettersController(JdbcClient jdbc, EventPublisher publisher) {
		this.jdbc = jdbc;
		this.publisher = publisher;
	}

	@GetMapping
	@OperatorOnly
	List<DeadLetter> list(@RequestParam(required = false) String status) {
		if (status != null && !List.of("open", "redriven").contains(status)) {
			throw Problems.invalidField("status", "must be one of [open, redriven]");
		}
		return this.jdbc.sql("""
				SELECT id, message_id, topic, reason, payload, first_seen, last_seen, times_seen, status,
				       redriven_at, redrive_count
				FROM audit.dead_letters WHERE CAST(:status AS varchar) IS NULL OR status = :status
				ORDER BY id LIMIT 500
				""")
			.param("status", status)
			.query((rs, n) -> new DeadLetter(rs.getLong("id"), rs.getString("message_id"), rs.getString("topic"),
					rs.getString("reason"), rs.getString("status"),
					instant(rs.getObject("first_seen", OffsetDateTime.class)),
					instant(rs.getObject("last_seen", OffsetDateTime.class)), rs.getInt("times_seen"),
					instant(rs.getObject("redriven_at", OffsetDateTime.class)), rs.getInt("redrive_count"),
					rs.getString("payload")))
			.list();
	}

	@PostMapping("/{id}/redrive")
	@OperatorOnly
	DeadLetter redrive(@PathVariable long id) {
		Map<String, Object> row = this.jdbc.sql("SELECT topic, payload FROM audit.dead_letters WHERE id = :id")
			.param("id", id)
			.query()
			.listOfRows()
			.stream()
			.findFirst()
			.orElseThrow(() -> Problems.notFound("No dead letter " + id + "."));
		String topic = (String) row.get("topic");
		if (topic == null) {
			throw conflict("Dead letter " + id + " does not say which topic it came from; it cannot be redriven.");
		}
		JsonNode cloudEvent;
		try {
			cloudEvent = CloudEvents.tree((String) row.get("payload"));
		}
		catch (RuntimeException ex) {
			cloudEvent = null;
		}
		if (!(cloudEvent instanceof ObjectNode event)) {
			throw conflict("Dead letter " + id + " is not a CloudEvent; it cannot be redriven.");
		}
		SIDECAR_FIELDS.forEach(event::remove);
		long key = event.path("subject").asLong(0);
		// marked first: if it fails again, its return (even a synchronous one) reopens it
		this.jdbc
			.sql("""
					UPDATE audit.dead_letters SET status = 'redriven', redriven_at = now(), redrive_count = redrive_count + 1
					WHERE id = :id
					""")
			.param("id", id)
			.update();
		try {
			this.publisher.publish(topic, key, event.toString());
		}
		catch (RuntimeException ex) {
			this.jdbc.sql("UPDATE audit.dead_letters SET status = 'open' WHERE id = :id").param("id", id).update();
			throw ex;
		}
		return list(null).stream().filter((letter) -> letter.id() == id).findFirst().orElseThrow();
	}

	/**
	 * @param payload the message as it was dead-lettered
	 */
	record DeadLetter(long id, String messageId, String topic, String reason, String status, Instant firstSeen,
			Instant lastSeen, int timesSeen, Instant redrivenAt, int redriveCount, String payload) {
	}

	private static Instant instant(OffsetDateTime time) {
		return (time != null) ? time.toInstant() : null;
	}

	private static ErrorResponseException conflict(String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, detail);
		problem.setType(java.net.URI.create(Problems.TYPE_BASE + "conflict"));
		problem.setTitle("Conflict");
		return new ErrorResponseException(HttpStatus.CONFLICT, problem, null);
	}

}
