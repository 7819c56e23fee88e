package io.taskstream.tasks;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.taskstream.platform.ConditionalOnRole;
import io.taskstream.platform.FieldProblem;
import io.taskstream.platform.Problems;
import io.taskstream.platform.RequestBodies;
import io.taskstream.platform.Traceparent;
import io.taskstream.platform.UserId;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/tasks}: create, read, list, patch, complete and delete a user's tasks.
 */
@RestController
@RequestMapping(path = "/api/v1/tasks",
		produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE })
@ConditionalOnRole("tasks")
class TaskController {

	static final String MERGE_PATCH = "application/merge-patch+json";

	private static final Set<String> SOURCES = Set.of("web", "cli", "api");

	private static final Pattern DEVICE_ID = Pattern.compile("[\\x21-\\x7E]{1,128}");

	private static final Pattern IF_MATCH = Pattern.compile("\"?(\\d{1,18})\"?");

	private final TaskService service;

	private final TaskRepository tasks;

	private final Traceparent traceparent;

	TaskController(TaskService service, TaskRepository tasks, Traceparent traceparent) {
		this.service = service;
		this.tasks = tasks;
		this.traceparent = traceparent;
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	@ResponseStatus(HttpStatus.CREATED) // what ResponseEntity answers, for the OpenAPI
										// document
	ResponseEntity<Task> create(UserId user, @RequestBody JsonNode body,
			@RequestHeader(name = "X-Client-Source", required = false) String source,
			@RequestHeader(name = "X-Device-Id", required = false) String deviceId,
			@RequestHeader(name = "traceparent", required = false) String traceparent) {
		NewTask fields = RequestBodies.read(body, NewTask.class);
		Task task = this.service.create(user, fields, origin(source, deviceId, traceparent));
		return ResponseEntity.created(URI.create("/api/v1/tasks/" + task.id())).eTag(etag(task)).body(task);
	}

	@GetMapping("/{id}")
	ResponseEntity<Task> get(UserId user, @PathVariable long id) {
		Task task = this.tasks.find(user, id).orElseThrow(() -> TaskService.notFound(id));
		return ResponseEntity.ok().eTag(etag(task)).body(task);
	}

	@GetMapping
	TaskPage list(UserId user, @RequestParam(required = false) String status,
			@RequestParam(required = false) String page, @RequestParam(required = false) String size) {
		List<FieldProblem> problems = new java.util.ArrayList<>();
		Task.Status wanted = null;
		if (status != null) {
			try {
				wanted = Task.Status.valueOf(status);
			}
			catch (IllegalArgumentException ex) {
				problems.add(new FieldProblem("status", "must be one of [OPEN, COMPLETED]"));
			}
		}
		int pageNumber = intParam("page", page, 0, 0, 1_000_000, problems);
		int pageSize = intParam("size", size, 20, 1, 100, problems);
		if (!problems.isEmpty()) {
			throw Problems.invalidRequest(problems);
		}
		long total = this.tasks.count(user, wanted);
		return new TaskPage(this.tasks.page(user, wanted, pageNumber, pageSize), pageNumber, pageSize, total,
				(total + pageSize - 1) / pageSize);
	}

	@PatchMapping(path = "/{id}", consumes = { MERGE_PATCH, MediaType.APPLICATION_JSON_VALUE })
	ResponseEntity<Task> patch(UserId user, @PathVariable long id, @RequestBody JsonNode body,
			@RequestHeader(name = "If-Match", required = false) String ifMatch,
			@RequestHeader(name = "X-Client-Source", required = false) String source,
			@RequestHeader(name = "X-Device-Id", required = false) String deviceId,
			@RequestHeader(name = "traceparent", required = false) String traceparent) {
		TaskPatch fields = RequestBodies.read(body, TaskPatch.class);
		Task task = this.service.update(user, id, fields, expectedVersion(ifMatch),
				origin(source, deviceId, traceparent));
		return ResponseEntity.ok().eTag(etag(task)).body(task);
	}

	@PostMapping("/{id}/complete")
	ResponseEntity<Task> complete(UserId user, @PathVariable long id,
			@RequestHeader(name = "If-Match", required = false) String ifMatch,
			@RequestHeader(name = "X-Client-Source", required = false) String source,
			@RequestHeader(name = "X-Device-Id", required = false) String deviceId,
			@RequestHeader(name = "traceparent", required = false) String traceparent) {
		Task task = this.service.complete(user, id, expectedVersion(ifMatch), origin(source, deviceId, traceparent));
		return ResponseEntity.ok().eTag(etag(task)).body(task);
	}

	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT) // what ResponseEntity answers, for the OpenAPI
											// document
	ResponseEntity<Void> delete(UserId user, @PathVariable long id,
			@RequestHeader(name = "If-Match", required = false) String ifMatch,
			@RequestHeader(name = "X-Client-Source", required = false) String source,
			@RequestHeader(name = "X-Device-Id", required = false) String deviceId,
			@RequestHeader(name = "traceparent", required = false) String traceparent) {
		this.service.delete(user, id, expectedVersion(ifMatch), origin(source, deviceId, traceparent));
		return ResponseEntity.noContent().build();
	}

	/** One page of tasks, newest first. */
	record TaskPage(List<Task> items, int page, int size, long totalItems, long totalPages) {
	}

	private static String etag(Task task) {
		return "\"" + task.version() + "\"";
	}

	/** {@code If-Match: "3"} (or {@code 3}); {@code *} or no header means any version. */
	private static Long expectedVersion(String ifMatch) {
		if (ifMatch == null || ifMatch.strip().equals("*")) {
			return null;
		}
		Matcher matcher = IF_MATCH.matcher(ifMatch.strip());
		if (!matcher.matches()) {
			throw Problems.invalidField("If-Match", "must be the task's ETag, e.g. \"3\"");
		}
		return Long.valueOf(matcher.group(1));
	}

	private Origin origin(String source, String deviceId, String traceparent) {
		List<FieldProblem> problems = new java.util.ArrayList<>();
		if (source != null && !SOURCES.contains(source)) {
			problems.add(new FieldProblem("X-Client-Source", "must be one of [web, cli, api]"));
		}
		if (deviceId != null && !DEVICE_ID.matcher(deviceId).matches()) {
			problems.add(new FieldProblem("X-Device-Id", "must be 1-128 visible ASCII characters"));
		}
		if (!problems.isEmpty()) {
			throw Problems.invalidRequest(problems);
		}
		return new Origin((source != null) ? source : "api", deviceId, this.traceparent.current(traceparent));
	}

	private static int intParam(String name, String value, int fallback, int min, int max,
			List<FieldProblem> problems) {
		if (value == null) {
			return fallback;
		}
		try {
			int parsed = Integer.parseInt(value);
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
