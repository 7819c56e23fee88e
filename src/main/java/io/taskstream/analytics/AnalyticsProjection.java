package io.taskstream.analytics;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;

import io.taskstream.events.EventType;
import io.taskstream.events.TaskEvent;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Applies task events to the analytics tables, each event once and in each task's order
 * (its inbox, which also ignores stale events). Everything is kept per user and UTC day
 * of the event's commit, so a day's numbers never change once its events are in.
 */
class AnalyticsProjection {

	private final JdbcClient jdbc;

	/**
	 * The tables' suffix: empty for the served projection, {@code _next} for a rebuild.
	 */
	private final String suffix;

	AnalyticsProjection(JdbcClient jdbc) {
		this(jdbc, "");
	}

	private AnalyticsProjection(JdbcClient jdbc, String suffix) {
		this.jdbc = jdbc;
		this.suffix = suffix;
	}

	/** The same effects on the tables a rebuild fills beside the served ones. */
	AnalyticsProjection next() {
		return new AnalyticsProjection(this.jdbc, "_next");
	}

	/** The effect of one event, run by the role's inbox: once, in task order. */
	boolean apply(TaskEvent event) {
		count(event);
		return true;
	}

	private void count(TaskEvent event) {
		String daily = "analytics.daily_counts" + this.suffix;
		String hourly = "analytics.hourly_counts" + this.suffix;
		LocalDate day = event.timestamp().atZone(ZoneOffset.UTC).toLocalDate();
		String column = switch (event.type()) {
			case CREATED -> "created";
			case COMPLETED -> "completed";
			case DELETED -> "deleted";
			case UPDATED -> isReopen(event) ? "reopened" : null;
		};
		if (column != null) {
			this.jdbc
				.sql("INSERT INTO " + daily + " AS d (user_id, day, " + column + ", open_delta) "
						+ "VALUES (:user, :day, 1, :delta) ON CONFLICT (user_id, day) DO UPDATE SET " + column + " = d."
						+ column + " + 1, open_delta = d.open_delta + :delta")
				.param("user", event.userId())
				.param("day", day)
				.param("delta", openDelta(event))
				.update();
		}
		if ("created".equals(column) || "completed".equals(column)) {
			this.jdbc
				.sql("INSERT INTO " + hourly + " AS h (user_id, hour, " + column + ") "
						+ "VALUES (:user, date_trunc('hour', CAST(:at AS timestamptz), 'UTC'), 1) "
						+ "ON CONFLICT (user_id, hour) DO UPDATE SET " + column + " = h." + column + " + 1")
				.param("user", event.userId())
				.param("at", event.timestamp().atOffset(ZoneOffset.UTC))
				.update();
		}
		if (event.type() == EventType.COMPLETED && event.data().task().completedAt() != null) {
			double seconds = Duration.between(event.data().task().createdAt(), event.data().task().completedAt())
				.toMillis() / 1000.0;
			this.jdbc
				.sql("INSERT INTO analytics.completion_durations" + this.suffix
						+ " (event_id, user_id, day, seconds) VALUES (:id, :user, :day, :seconds)")
				.param("id", event.eventId())
				.param("user", event.userId())
				.param("day", day)
				.param("seconds", seconds)
				.update();
		}
	}

	/**
	 * How the event changes the number of open tasks: a task opens when created or
	 * reopened and closes when completed or deleted while open (a deleted event carries
	 * the task as it was).
	 */
	private static int openDelta(TaskEvent event) {
		return switch (event.type()) {
			case CREATED -> 1;
			case COMPLETED -> -1;
			case DELETED -> "OPEN".equals(event.data().task().status()) ? -1 : 0;
			case UPDATED -> isReopen(event) ? 1 : 0;
		};
	}

	private static boolean isReopen(TaskEvent event) {
		TaskEvent.Change status = (event.data().changes() != null) ? event.data().changes().get("status") : null;
		return status != null && "COMPLETED".equals(status.from()) && "OPEN".equals(status.to());
	}

}
