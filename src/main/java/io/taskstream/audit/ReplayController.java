package io.taskstream.audit;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.taskstream.events.CloudEvents;
import io.taskstream.events.EventPublisher;
import io.taskstream.events.EventType;
import io.taskstream.platform.ConditionalOnRole;
import io.taskstream.platform.FieldProblem;
import io.taskstream.platform.FourDigitYear;
import io.taskstream.platform.OperatorOnly;
import io.taskstream.platform.Problems;
import io.taskstream.platform.RequestBodies;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/replay}: re-emits stored events, in their original order, on
 * {@code task.replay} for one role, which takes them through its usual idempotent entry
 * point: events it already applied change nothing. Replay a task from its first event: a
 * role applies a task's events in sequence order. {@code GET /api/v1/replay/history}
 * hands the whole history out a page at a time, for a role that rebuilds its projection
 * beside the one it serves (analytics).
 */
@RestController
@ConditionalOnRole("audit")
class ReplayController {

	/** Events read and published at a time (one bulk publish through Dapr). */
	private static final int PAGE = 500;

	private final EventHistory history;

	private final EventPublisher publisher;

	ReplayController(EventHistory history, EventPublisher publisher) {
		this.history = history;
		this.publisher = publisher;
	}

	/**
	 * @param target the role to replay to
	 * @param from the first commit time replayed (default: the beginning)
	 * @param to the last commit time replayed (default: the end)
	 */
	record ReplayRequest(
			@NotNull(message = "is required: one of [analytics, notifications, audit]") @Pattern(
					regexp = "analytics|notifications|audit",
					message = "is required: one of [analytics, notifications, audit]") String target,
			@FourDigitYear OffsetDateTime from, @FourDigitYear OffsetDateTime to,
			@Positive(message = "must be a task id") Long taskId,
			@Pattern(regexp = "[A-Za-z0-9._@-]{1,64}", message = "must be a user id") String userId) {

		@AssertTrue(message = "'from' must not be after 'to'")
		boolean isOrdered() {
			return this.from == null || this.to == null || !this.from.isAfter(this.to);
		}

	}

	@PostMapping(path = "/api/v1/replay", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE })
	@OperatorOnly
	Map<String, Object> replay(@RequestBody JsonNode body) {
		ReplayRequest request = RequestBodies.read(body, ReplayRequest.class);
		Instant from = (request.from() != null) ? request.from().toInstant() : Instant.parse("0001-01-01T00:00:00Z");
		Instant to = (request.to() != null) ? request.to().toInstant() : Instant.parse("9999-12-31T23:59:59.999999Z");
		long replayed = 0;
		long after = 0;
		while (true) {
			List<EventHistory.Stored> page = this.history.page(after, from, to, request.taskId(), request.userId(),
					PAGE);
			if (page.isEmpty()) {
				return Map.of("target", request.target(), "replayed", replayed);
			}
			this.publisher.publish(EventType.REPLAY_TOPIC,
					page.stream()
						.map((event) -> new EventPublisher.Keyed(event.taskId(),
								CloudEvents.replay(event.envelope(), request.target())))
						.toList());
			replayed += page.size();
			after = page.get(page.size() - 1).position();
		}
	}

	/** One page of the whole history, oldest first, envelopes as they arrived. */
	@GetMapping(path = "/api/v1/replay/history",
			produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE })
	@OperatorOnly
	HistoryPage history(@RequestParam(required = false) String after, @RequestParam(required = false) String limit) {
		List<FieldProblem> problems = new ArrayList<>();
		long cursor = number("after", after, 0, 0, Long.MAX_VALUE, problems);
		long size = number("limit", limit, PAGE, 1, 1000, problems);
		if (!problems.isEmpty()) {
			throw Problems.invalidRequest(problems);
		}
		List<EventHistory.Stored> page = this.history.page(cursor, (int) size);
		List<JsonNode> items = page.stream().map((event) -> CloudEvents.tree(event.envelope())).toList();
		long next = page.isEmpty() ? cursor : page.get(page.size() - 1).position();
		return new HistoryPage(items, Long.toString(next), page.size() == size);
	}

	record HistoryPage(List<JsonNode> items, String nextCursor, boolean hasMore) {
	}

	private static long number(String name, String value, long fallback, long min, long max,
			List<FieldProblem> problems) {
		if (value == null) {
			return fallback;
		}
		try {
			long parsed = Long.parseLong(value);
			if (parsed >= min && parsed <= max) {
				return parsed;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		problems.add(new FieldProblem(name, "must be a whole number from " + min + " to " + max));
		return fallback;
	}

}
