package io.taskstream.audit;

import java.util.ArrayList;
import java.util.List;

import io.taskstream.events.CloudEvents;
import io.taskstream.events.EventType;
import io.taskstream.platform.ConditionalOnRole;
import io.taskstream.platform.FieldProblem;
import io.taskstream.platform.Problems;
import io.taskstream.platform.SseHub;
import io.taskstream.platform.UserId;
import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /api/v1/events}: the caller's events, oldest first, a page at a time (a
 * client polls with the {@code nextCursor} of the page before as {@code after}), or as a
 * live tail ({@code /api/v1/events/stream}).
 */
@RestController
@ConditionalOnRole("audit")
class EventsController {

	static final int MAX_LIMIT = 500;

	private final EventStore store;

	private final SseHub<EventStore.StoredEvent> live;

	EventsController(EventStore store, SseHub<EventStore.StoredEvent> live) {
		this.store = store;
		this.live = live;
	}

	@GetMapping(path = "/api/v1/events",
			produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE })
	EventPage events(UserId user, @RequestParam(required = false) String taskId,
			@RequestParam(required = false) String userId, @RequestParam(required = false) String type,
			@RequestParam(required = false) String after, @RequestParam(required = false) String limit) {
		EventStore.EventQuery query = query(user, taskId, userId, type, after, limit);
		List<EventStore.StoredEvent> page = this.store.page(query);
		List<JsonNode> items = page.stream().map((event) -> CloudEvents.tree(event.envelope())).toList();
		long next = page.isEmpty() ? query.after() : page.get(page.size() - 1).position();
		return new EventPage(items, Long.toString(next), page.size() == query.limit());
	}

	/**
	 * The same events as a live Server-Sent Events tail, with the same filters: what is
	 * stored after {@code Last-Event-ID} (a position) first, then each new event.
	 */
	@GetMapping(path = "/api/v1/events/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter stream(UserId user, @RequestParam(required = false) String taskId,
			@RequestParam(required = false) String userId, @RequestParam(required = false) String type,
			@RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
		EventStore.EventQuery query = query(user, taskId, userId, type, lastEventId, null);
		return this.live.open(user.value(), query.after(), (after, limit) -> this.store
			.streamPage(new EventStore.EventQuery(query.userId(), query.taskId(), query.type(), after, limit)));
	}

	private static EventStore.EventQuery query(UserId user, String taskId, String userId, String type, String after,
			String limit) {
		if (userId != null && !userId.equals(user.value())) {
			throw Problems.forbidden("A user can only read their own events.");
		}
		List<FieldProblem> problems = new ArrayList<>();
		Long task = longParam("taskId", taskId, null, 1, problems);
		long cursor = longParam("after", after, 0L, 0, problems);
		int size = longParam("limit", limit, 100L, 1, problems).intValue();
		if (size > MAX_LIMIT) {
			problems.add(new FieldProblem("limit", "must be at most " + MAX_LIMIT));
		}
		if (type != null && EventType.fromValue(type).isEmpty()) {
			problems.add(new FieldProblem("type", "must be one of [created, updated, deleted, completed]"));
		}
		if (!problems.isEmpty()) {
			throw Problems.invalidRequest(problems);
		}
		return new EventStore.EventQuery(user.value(), task, type, cursor, size);
	}

	/**
	 * @param items the events' envelopes
	 * @param nextCursor pass as {@code after} to get what comes next
	 * @param hasMore whether more events are there now
	 */
	record EventPage(List<JsonNode> items, String nextCursor, boolean hasMore) {
	}

	private static Long longParam(String name, String value, Long fallback, long min, List<FieldProblem> problems) {
		if (value == null) {
			return fallback;
		}
		try {
			long parsed = Long.parseLong(value);
			if (parsed >= min) {
				return parsed;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		problems.add(new FieldProblem(name, "must be a whole number of at least " + min));
		return fallback;
	}

}
