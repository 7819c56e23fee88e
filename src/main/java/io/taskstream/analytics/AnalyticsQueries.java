package io.taskstream.analytics;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;

/** The questions the analytics API asks of the served projection. */
class AnalyticsQueries {

	private final JdbcClient jdbc;

	AnalyticsQueries(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * One user's numbers, or everyone's ({@code user} null): counts over the range, open
	 * tasks at the end of its last day, completion durations of completions in it.
	 */
	Summary summarize(String user, LocalDate from, LocalDate to) {
		String ofUser = "(CAST(:user AS varchar) IS NULL OR user_id = :user)";
		Map<String, Object> counts = this.jdbc.sql("""
				SELECT coalesce(sum(created) FILTER (WHERE day >= :from), 0) AS created,
				       coalesce(sum(completed) FILTER (WHERE day >= :from), 0) AS completed,
				       coalesce(sum(deleted) FILTER (WHERE day >= :from), 0) AS deleted,
				       coalesce(sum(reopened) FILTER (WHERE day >= :from), 0) AS reopened,
				       coalesce(sum(open_delta), 0) AS open
				FROM analytics.daily_counts WHERE %s AND day <= :to
				""".formatted(ofUser)).param("user", user).param("from", from).param("to", to).query().singleRow();
		Map<String, Object> durations = this.jdbc.sql("""
				SELECT count(*) AS n, avg(seconds) AS mean,
				       percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS p50,
				       percentile_cont(0.95) WITHIN GROUP (ORDER BY seconds) AS p95
				FROM analytics.completion_durations WHERE %s AND day BETWEEN :from AND :to
				""".formatted(ofUser)).param("user", user).param("from", from).param("to", to).query().singleRow();
		return new Summary(number(counts.get("created")), number(counts.get("completed")),
				number(counts.get("deleted")), number(counts.get("reopened")), number(counts.get("open")),
				new CompletionDuration(number(durations.get("n")), decimal(durations.get("mean")),
						decimal(durations.get("p50")), decimal(durations.get("p95"))));
	}

	/**
	 * Creations and completions per bucket ({@code hour} or {@code day}, UTC), zeros
	 * included.
	 */
	List<Point> rates(String user, LocalDate from, LocalDate to, String bucket) {
		return this.jdbc.sql("""
				SELECT b.start, coalesce(sum(h.created), 0) AS created, coalesce(sum(h.completed), 0) AS completed
				FROM generate_series(CAST(:from AS date)::timestamp AT TIME ZONE 'UTC',
				                     (CAST(:to AS date) + 1)::timestamp AT TIME ZONE 'UTC' - CAST(:step AS interval),
				                     CAST(:step AS interval)) AS b(start)
				LEFT JOIN analytics.hourly_counts h ON h.user_id = :user
				     AND h.hour >= b.start AND h.hour < b.start + CAST(:step AS interval)
				GROUP BY b.start ORDER BY b.start
				""")
			.param("from", from)
			.param("to", to)
			.param("step", "1 " + bucket)
			.param("user", user)
			.query((rs, n) -> new Point(rs.getObject("start", OffsetDateTime.class).toInstant(), rs.getLong("created"),
					rs.getLong("completed")))
			.list();
	}

	record Summary(long created, long completed, long deleted, long reopened, long open,
			CompletionDuration completionDuration) {
	}

	/** Exact over the range: every completion's duration is stored. */
	record CompletionDuration(long count, Double meanSeconds, Double p50Seconds, Double p95Seconds) {
	}

	/** One bucket: how many tasks were created and completed in it. */
	record Point(Instant start, long created, long completed) {
	}

	private static long number(Object value) {
		return ((Number) value).longValue();
	}

	private static Double decimal(Object value) {
		return (value != null) ? ((Number) value).doubleValue() : null;
	}

}
