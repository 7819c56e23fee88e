package io.taskstream.analytics;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;

import io.taskstream.events.Inbox;
import io.taskstream.events.TaskEvent;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Applies task events to the analytics tables, each event once (its {@link Inbox}).
 * Counts do not depend on the order events arrive in; the per-task state keeps the
 * highest sequence and ignores stale events.
 */
class AnalyticsProjection {

	private final JdbcClient jdbc;

	private final Inbox inbox;

	AnalyticsProjection(JdbcClient jdbc, Inbox inbox) {
		this.jdbc = jdbc;
		this.inbox = inbox;
	}

	boolean handle(TaskEvent event) {
		return this.inbox.processInOrder(event, () -> {
			count(event);
			updateState(event);
			return true;
		});
	}

	private void count(TaskEvent event) {
		LocalDate day = event.timestamp().atZone(ZoneOffset.UTC).toLocalDate();
		String column = switch (event.type()) {
			case CREATED -> "created";
			case COMPLETED -> "completed";
			case DELETED -> "deleted";
			case UPDATED -> isReopen(event) ? "reopened" : null;
		};
		if (column != null) {
			this.jdbc
				.sql("INSERT INTO analytics.daily_counts (user_id, day, " + column + ") VALUES (:user, :day, 1) "
						+ "ON CONFLICT (user_id, day) DO UPDATE SET " + column + " = daily_counts." + column + " + 1")
				.param("user", event.userId())
				.param("day", day)
				.update();
		}
		if ("created".equals(column) || "completed".equals(column)) {
			this.jdbc
				.sql("INSERT INTO analytics.hourly_counts (user_id, hour, " + column + ") "
						+ "VALUES (:user, date_trunc('hour', CAST(:at AS timestamptz), 'UTC'), 1) "
						+ "ON CONFLICT (user_id, hour) DO UPDATE SET " + column + " = hourly_counts." + column + " + 1")
				.param("user", event.userId())
				.param("at", event.timestamp().atOffset(ZoneOffset.UTC))
				.update();
		}
		if (event.type() == io.taskstream.events.EventType.COMPLETED && event.data().task().completedAt() != null) {
			double seconds = Duration.between(event.data().task().createdAt(), event.data().task().completedAt())
				.toMillis() / 1000.0;
			this.jdbc.sql("""
					INSERT INTO analytics.completion_durations (event_id, user_id, day, seconds)
					VALUES (:id, :user, :day, :seconds)
					""")
				.param("id", event.eventId())
				.param("user", event.userId())
				.param("day", day)
				.param("seconds", seconds)
				.update();
		}
	}

	private void updateState(TaskEvent event) {
		this.jdbc.sql("""
				INSERT INTO analytics.task_state (task_id, user_id, last_sequence, status, deleted)
				VALUES (:task, :user, :sequence, :status, :deleted)
				ON CONFLICT (task_id) DO UPDATE
				SET last_sequence = EXCLUDED.last_sequence, status = EXCLUDED.status, deleted = EXCLUDED.deleted
				WHERE task_state.last_sequence < EXCLUDED.last_sequence
				""")
			.param("task", event.taskId())
			.param("user", event.userId())
			.param("sequence", event.sequence())
			.param("status", event.data().task().status())
			.param("deleted", event.type() == io.taskstream.events.EventType.DELETED)
			.update();
	}

	private static boolean isReopen(TaskEvent event) {
		TaskEvent.Change status = (event.data().changes() != null) ? event.data().changes().get("status") : null;
		return status != null && "COMPLETED".equals(status.from()) && "OPEN".equals(status.to());
	}

}
