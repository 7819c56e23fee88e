package io.taskstream.tasks;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import io.taskstream.events.EventType;
import io.taskstream.events.Outbox;
import io.taskstream.events.TaskEvent;
import io.taskstream.platform.Patch;
import io.taskstream.platform.Problems;
import io.taskstream.platform.UserId;

import org.springframework.transaction.annotation.Transactional;

/**
 * Changes tasks. Each change and its event commit together (the event goes to the
 * outbox), so there is never an event for a change that was rolled back, nor a change
 * without its event. A change that changes nothing writes no event.
 */
class TaskService {

	private final TaskRepository tasks;

	private final Outbox outbox;

	TaskService(TaskRepository tasks, Outbox outbox) {
		this.tasks = tasks;
		this.outbox = outbox;
	}

	@Transactional
	public Task create(UserId user, NewTask fields, Origin origin) {
		Instant now = Times.now();
		Task draft = new Task(0, fields.title(), fields.description(), Task.Status.OPEN, fields.priority(),
				instant(fields.dueDate()), fields.tags(), now, now, null, 1);
		long id = this.tasks.insert(user, draft);
		Task task = new Task(id, draft.title(), draft.description(), draft.status(), draft.priority(), draft.dueDate(),
				draft.tags(), now, now, null, 1);
		emit(EventType.CREATED, user, task, task.version(), null, origin, now);
		return task;
	}

	@Transactional
	public Task update(UserId user, long id, TaskPatch fields, Long expectedVersion, Origin origin) {
		Task current = lockForChange(user, id, expectedVersion);
		return apply(user, current, fields, origin);
	}

	/** Completing a completed task returns it as it is: no change, no second event. */
	@Transactional
	public Task complete(UserId user, long id, Long expectedVersion, Origin origin) {
		Task current = lockForChange(user, id, expectedVersion);
		if (current.status() == Task.Status.COMPLETED) {
			return current;
		}
		return apply(user, current, TaskPatch.completion(), origin);
	}

	@Transactional
	public void delete(UserId user, long id, Long expectedVersion, Origin origin) {
		Task current = lockForChange(user, id, expectedVersion);
		this.tasks.delete(user, id);
		emit(EventType.DELETED, user, current, current.version() + 1, null, origin, Times.now());
	}

	private Task lockForChange(UserId user, long id, Long expectedVersion) {
		Task current = this.tasks.findForUpdate(user, id).orElseThrow(() -> notFound(id));
		if (expectedVersion != null && expectedVersion != current.version()) {
			throw Problems.versionMismatch("Task " + id + " is at version " + current.version() + ", not the version "
					+ expectedVersion + " the request expected.");
		}
		return current;
	}

	private Task apply(UserId user, Task current, TaskPatch fields, Origin origin) {
		Map<String, TaskEvent.Change> changes = new LinkedHashMap<>();
		String title = change(changes, "title", current.title(), fields.title());
		String description = change(changes, "description", current.description(), fields.description());
		Task.Priority priority = change(changes, "priority", current.priority(), fields.priority());
		Instant dueDate = change(changes, "dueDate", current.dueDate(),
				fields.dueDate().present() ? Patch.of(instant(fields.dueDate().value())) : Patch.absent());
		// null clears the tags: a task always has a list, maybe empty
		List<String> tags = change(changes, "tags", current.tags(), fields.tags().present()
				? Patch.of(Objects.requireNonNullElse(fields.tags().value(), List.of())) : Patch.absent());
		Task.Status status = change(changes, "status", current.status(), fields.status());
		if (changes.isEmpty()) {
			return current;
		}
		Instant now = Times.now();
		Instant completedAt = current.completedAt();
		if (status != current.status()) {
			completedAt = (status == Task.Status.COMPLETED) ? now : null;
			changes.put("completedAt", new TaskEvent.Change(current.completedAt(), completedAt));
		}
		Task next = new Task(current.id(), title, description, status, priority, dueDate, tags, current.createdAt(),
				now, completedAt, current.version() + 1);
		this.tasks.update(user, next);
		boolean completed = status == Task.Status.COMPLETED && current.status() != Task.Status.COMPLETED;
		emit(completed ? EventType.COMPLETED : EventType.UPDATED, user, next, next.version(), changes, origin, now);
		return next;
	}

	/**
	 * The field's new value if the client set it to something else, noting the change.
	 */
	private static <T> T change(Map<String, TaskEvent.Change> changes, String field, T from, Patch<T> patch) {
		if (!patch.present()) {
			return from;
		}
		T to = patch.value();
		if (!Objects.equals(from, to)) {
			changes.put(field, new TaskEvent.Change(jsonValue(from), jsonValue(to)));
		}
		return to;
	}

	private static Object jsonValue(Object value) {
		return (value instanceof Enum<?> e) ? e.name() : value;
	}

	private void emit(EventType type, UserId user, Task task, long sequence, Map<String, TaskEvent.Change> changes,
			Origin origin, Instant at) {
		TaskEvent event = new TaskEvent(UUID.randomUUID(), type.value(), TaskEvent.SCHEMA_VERSION, task.id(),
				user.value(), at, sequence, new TaskEvent.Data(task.snapshot(), changes),
				new TaskEvent.Metadata(origin.source(), origin.deviceId(), sequence));
		this.outbox.append(event, origin.traceparent());
	}

	/** At PostgreSQL's precision, so the API and the events agree to the digit. */
	private static Instant instant(OffsetDateTime time) {
		return (time != null) ? Times.micros(time.toInstant()) : null;
	}

	static RuntimeException notFound(long id) {
		return Problems.notFound("No task " + id + " for this user.");
	}

}
