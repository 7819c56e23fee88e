package io.taskstream.tasks;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.taskstream.platform.UserId;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The {@code tasks.tasks} table. Every query is scoped to the owner. */
class TaskRepository {

	private static final String COLUMNS = """
			id, title, description, status, priority, due_date, tags, created_at, updated_at, completed_at, version""";

	private final JdbcClient jdbc;

	TaskRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	long insert(UserId user, Task task) {
		return this.jdbc.sql("""
				INSERT INTO tasks.tasks (user_id, title, description, status, priority, due_date, tags,
				                         created_at, updated_at, completed_at, version)
				VALUES (:user, :title, :description, :status, :priority, :dueDate, :tags,
				        :createdAt, :updatedAt, :completedAt, :version)
				RETURNING id
				""").paramSource(parameters(user, task)).query(Long.class).single();
	}

	void update(UserId user, Task task) {
		this.jdbc.sql("""
				UPDATE tasks.tasks SET title = :title, description = :description, status = :status,
				       priority = :priority, due_date = :dueDate, tags = :tags, updated_at = :updatedAt,
				       completed_at = :completedAt, version = :version
				WHERE id = :id AND user_id = :user
				""").paramSource(parameters(user, task).addValue("id", task.id())).update();
	}

	void delete(UserId user, long id) {
		this.jdbc.sql("DELETE FROM tasks.tasks WHERE id = :id AND user_id = :user")
			.param("id", id)
			.param("user", user.value())
			.update();
	}

	Optional<Task> find(UserId user, long id) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM tasks.tasks WHERE id = :id AND user_id = :user")
			.param("id", id)
			.param("user", user.value())
			.query(TaskRepository::task)
			.optional();
	}

	/**
	 * Locks the row until the transaction ends, so concurrent changes apply one by one.
	 */
	Optional<Task> findForUpdate(UserId user, long id) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM tasks.tasks WHERE id = :id AND user_id = :user FOR UPDATE")
			.param("id", id)
			.param("user", user.value())
			.query(TaskRepository::task)
			.optional();
	}

	List<Task> page(UserId user, Task.Status status, int page, int size) {
		return this.jdbc.sql("SELECT " + COLUMNS + """
				 FROM tasks.tasks WHERE user_id = :user AND (CAST(:status AS varchar) IS NULL OR status = :status)
				ORDER BY created_at DESC, id DESC LIMIT :size OFFSET :offset
				""")
			.param("user", user.value())
			.param("status", (status != null) ? status.name() : null)
			.param("size", size)
			.param("offset", (long) page * size)
			.query(TaskRepository::task)
			.list();
	}

	long count(UserId user, Task.Status status) {
		return this.jdbc.sql("""
				SELECT count(*) FROM tasks.tasks
				WHERE user_id = :user AND (CAST(:status AS varchar) IS NULL OR status = :status)
				""")
			.param("user", user.value())
			.param("status", (status != null) ? status.name() : null)
			.query(Long.class)
			.single();
	}

	private static MapSqlParameterSource parameters(UserId user, Task task) {
		return new MapSqlParameterSource().addValue("user", user.value())
			.addValue("title", task.title())
			.addValue("description", task.description())
			.addValue("status", task.status().name())
			.addValue("priority", task.priority().name())
			.addValue("dueDate", timestamp(task.dueDate()))
			.addValue("tags", task.tags().toArray(String[]::new))
			.addValue("createdAt", timestamp(task.createdAt()))
			.addValue("updatedAt", timestamp(task.updatedAt()))
			.addValue("completedAt", timestamp(task.completedAt()))
			.addValue("version", task.version());
	}

	private static OffsetDateTime timestamp(Instant instant) {
		return (instant != null) ? instant.atOffset(ZoneOffset.UTC) : null;
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	private static Task task(ResultSet rs, int row) throws SQLException {
		Array tags = rs.getArray("tags");
		return new Task(rs.getLong("id"), rs.getString("title"), rs.getString("description"),
				Task.Status.valueOf(rs.getString("status")), Task.Priority.valueOf(rs.getString("priority")),
				instant(rs, "due_date"), Arrays.asList((String[]) tags.getArray()), instant(rs, "created_at"),
				instant(rs, "updated_at"), instant(rs, "completed_at"), rs.getLong("version"));
	}

}
