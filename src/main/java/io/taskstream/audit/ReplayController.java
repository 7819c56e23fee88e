package io.taskstream.audit;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.taskstream.events.CloudEvents;
import io.taskstream.events.EventPublisher;
import io.taskstream.events.EventType;
import io.taskstream.platform.ConditionalOnRole;
import io.taskstream.platform.FieldProblem;
import io.taskstream.platform.OperatorOnly;
import io.taskstream.platform.Problems;
import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/replay}: re-emits stored events, in their original order, on
 * {@code task.replay} for one role, which takes them through its usual idempotent entry
 * point: events it already applied change nothing, unless its projection was wiped
 * (analytics' rebuild). Replay a task from its first event: a role applies a task's
 * events in sequence order.
 */
@RestController
@ConditionalOnRole("audit")
class ReplayController {

	static final Set<String> TARGETS = Set.of("analytics", "notifications", "audit");

	private static final Set<String> FIELDS = Set.of("from", "to", "taskId", "userId", "target");

	/** Events read and published at a time (one bulk publish through Dapr). */
	private static final int PAGE = 500;

	private final JdbcClient jdbc;

	private final EventPublisher publisher;

	ReplayController(JdbcClient jdbc, EventPublisher publisher) {
		this.jdbc = jdbc;
		this.publisher = publisher;
	}

	@PostMapping(path = "/api/v1/replay", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE })
	@OperatorOnly
	Map<String, Object> replay(@RequestBody JsonNode body) {
		if (body == null || !body.isObject()) {
			throw Problems.invalidField("$", "the body must be a JSON object");
		}
		List<FieldProblem> problems = new ArrayList<>();
		body.properties()
			.stream()
			.filter((field) -> !FIELDS.contains(field.getKey()))
			.forEach((field) -> problems.add(new FieldProblem(field.getKey(), "is not a replay field")));
		String target = body.path("target").asString(null);
		if (target == null || !TARGETS.contains(target)) {
			problems.add(new FieldProblem("target", "is required: one of " + TARGETS));
		}
		Instant from = instant("from", body.path("from"), Instant.EPOCH, problems);
		Instant to = instant("to", body.path("to"), Instant.parse("9999-12-31T00:00:00Z"), problems);
		if (problems.isEmpty() && from.isAfter(to)) {
			problems.add(new FieldProblem("from", "must not be after 'to'"));
		}
		JsonNode taskId = body.path("taskId");
		if (!taskId.isMissingNode() && !taskId.canConvertToLong()) {
			problems.add(new FieldProblem("taskId", "must be a task id"));
		}
		JsonNode userId = body.path("userId");
		if (!userId.isMissingNode() && !userId.isString()) {
			problems.add(new FieldProblem("userId", "must be a user id"));
		}
		if (!problems.isEmpty()) {
			throw Problems.invalidRequest(problems);
		}
		long replayed = 0;
		long after = 0;
		while (true) {
			List<Map<String, Object>> page = this.jdbc.sql("""
					SELECT position, task_id, envelope FROM audit.events
					WHERE position > :after AND occurred_at BETWEEN :from AND :to
					  AND (CAST(:taskId AS bigint) IS NULL OR task_id = :taskId)
					  AND (CAST(:userId AS varchar) IS NULL OR user_id = :userId)
					ORDER BY position LIMIT :limit
					""")
				.param("after", after)
				.param("from", OffsetDateTime.ofInstant(from, ZoneOffset.UTC))
				.param("to", OffsetDateTime.ofInstant(to, ZoneOffset.UTC))
				.param("taskId", taskId.isMissingNode() ? null : taskId.asLong())
				.param("userId", userId.isMissingNode() ? null : userId.asString())
				.param("limit", PAGE)
				.query()
				.listOfRows();
			if (page.isEmpty()) {
				return Map.of("target", target, "replayed", replayed);
			}
			this.publisher.publish(EventType.REPLAY_TOPIC,
					page.stream()
						.map((event) -> new EventPublisher.Keyed(((Number) event.get("task_id")).longValue(),
								CloudEvents.replay(event.get("envelope").toString(), target)))
						.toList());
			replayed += page.size();
			after = ((Number) page.get(page.size() - 1).get("position")).longValue();
		}
	}

	private static Instant instant(String name, JsonNode value, Instant fallback, List<FieldProblem> problems) {
		if (value.isMissingNode() || value.isNull()) {
			return fallback;
		}
		try {
			return OffsetDateTime.parse(value.asString()).toInstant();
		}
		catch (DateTimeParseException ex) {
			problems.add(new FieldProblem(name, "must be an ISO-8601 date-time with an offset"));
			return fallback;
		}
	}

}
