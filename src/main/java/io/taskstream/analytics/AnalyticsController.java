package io.taskstream.analytics;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.taskstream.platform.ConditionalOnRole;
import io.taskstream.platform.FieldProblem;
import io.taskstream.platform.OperatorOnly;
import io.taskstream.platform.Problems;
import io.taskstream.platform.UserId;

import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The analytics API: the caller's numbers over a range of UTC days
 * ({@code /api/v1/analytics/summary}), everyone's for operators ({@code /totals}), and
 * creation and completion rates ({@code /rates}).
 */
@RestController
@ConditionalOnRole("analytics")
class AnalyticsController {

	static final int MAX_SPAN_DAYS = 366;

	private final JdbcClient jdbc;

	AnalyticsController(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@GetMapping(path = "/api/v1/analytics/summary",
			produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE })
	Summary summary(UserId user, @RequestParam(required = false) String from,
			@RequestParam(required = false) String to) {
		return summarize(user.value(), summaryRange(from, to));
	}

	/** The same numbers over every user, for operators. */
	@GetMapping(path = "/api/v1/analytics/totals",
			produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE })
	@OperatorOnly
	Summary totals(@RequestParam(required = false) String from, @RequestParam(required = false) String to) {
		return summarize(null, summaryRange(from, to));
	}

	/** A summary may be open-ended: the span limit applies when both ends are given. */
	private static Range summaryRange(String from, String to) {
		List<FieldProblem> problems = new ArrayList<>();
		Range range = range(from, to, LocalDate.of(1970, 1, 1), LocalDate.of(9999, 12, 31), from != null && to != null,
				problems);
		if (!problems.isEmpty()) {
			throw Problems.invalidRequest(problems);
		}
		return range;
	}

	/**
	 * One user's numbers, or everyone's ({@code user} null): counts over the range, open
	 * tasks at the end of its last day, completion durations of completions in it.
	 */
	private Summary summarize(String user, Range range) {
		String ofUser = "(CAST(:user AS varchar) IS NULL OR user_id = :user)";
		Map<String, Object> counts = this.jdbc.sql("""
				SELECT coalesce(sum(created) FILTER (WHERE day >= :from), 0) AS created,
				       coalesce(sum(completed) FILTER (WHERE day >= :from), 0) AS completed,
				       coalesce(sum(deleted) FILTER (WHERE day >= :from), 0) AS deleted,
				       coalesce(sum(reopened) FILTER (WHERE day >= :from), 0) AS reopened,
				       coalesce(sum(open_delta), 0) AS open
				FROM analytics.daily_counts WHERE %s AND day <= :to
				""".formatted(ofUser))
			.param("user", user)
			.param("from", range.from())
			.param("to", range.to())
			.query()
			.singleRow();
		Map<String, Object> durations = this.jdbc.sql("""
				SELECT count(*) AS n, avg(seconds) AS mean,
				       percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS p50,
				       percentile_cont(0.95) WITHIN GROUP (ORDER BY seconds) AS p95
				FROM analytics.completion_durations WHERE %s AND day BETWEEN :from AND :to
				""".formatted(ofUser))
			.param("user", user)
			.param("from", range.from())
			.param("to", range.to())
			.query()
			.singleRow();
		return new Summary(number(counts.get("created")), number(counts.get("completed")),
				number(counts.get("deleted")), number(counts.get("reopened")), number(counts.get("open")),
				new CompletionDuration(number(durations.get("n")), decimal(durations.get("mean")),
						decimal(durations.get("p50")), decimal(durations.get("p95"))));
	}

	/**
	 * Creations and completions per hour or day (UTC) between two dates, every bucket
	 * listed, empty ones with zeros. Without dates: the last 7 days.
	 */
	@GetMapping(path = "/api/v1/analytics/rates",
			produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE })
	Rates rates(UserId user, @RequestParam(required = false) String from, @RequestParam(required = false) String to,
			@RequestParam(defaultValue = "day") String bucket) {
		List<FieldProblem> problems = new ArrayList<>();
		LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
		Range range = range(from, to, today.minusDays(6), today, true, problems);
		if (!List.of("hour", "day").contains(bucket)) {
			problems.add(new FieldProblem("bucket", "must be one of [hour, day]"));
		}
		if (!problems.isEmpty()) {
			throw Problems.invalidRequest(problems);
		}
		List<Point> points = this.jdbc.sql("""
				SELECT b.start, coalesce(sum(h.created), 0) AS created, coalesce(sum(h.completed), 0) AS completed
				FROM generate_series(CAST(:from AS date)::timestamp AT TIME ZONE 'UTC',
				                     (CAST(:to AS date) + 1)::timestamp AT TIME ZONE 'UTC' - CAST(:step AS interval),
				                     CAST(:step AS interval)) AS b(start)
				LEFT JOIN analytics.hourly_counts h ON h.user_id = :user
				     AND h.hour >= b.start AND h.hour < b.start + CAST(:step AS interval)
				GROUP BY b.start ORDER BY b.start
				""")
			.param("from", range.from())
			.param("to", range.to())
			.param("step", "1 " + bucket)
			.param("user", user.value())
			.query((rs, n) -> new Point(rs.getObject("start", java.time.OffsetDateTime.class).toInstant(),
					rs.getLong("created"), rs.getLong("completed")))
			.list();
		return new Rates(bucket, range.from(), range.to(), points);
	}

	record Rates(String bucket, LocalDate from, LocalDate to, List<Point> points) {
	}

	/** One bucket: how many tasks were created and completed in it. */
	record Point(java.time.Instant start, long created, long completed) {
	}

	record Range(LocalDate from, LocalDate to) {
	}

	/** A checked range of UTC days: from <= to, at most {@value #MAX_SPAN_DAYS} days. */
	private static Range range(String from, String to, LocalDate defaultFrom, LocalDate defaultTo, boolean limitSpan,
			List<FieldProblem> problems) {
		LocalDate first = date("from", from, defaultFrom, problems);
		LocalDate last = date("to", to, defaultTo, problems);
		if (problems.isEmpty() && first.isAfter(last)) {
			problems.add(new FieldProblem("from", "must not be after 'to'"));
		}
		if (problems.isEmpty() && limitSpan && ChronoUnit.DAYS.between(first, last) >= MAX_SPAN_DAYS) {
			problems.add(new FieldProblem("to", "the range may span at most " + MAX_SPAN_DAYS + " days"));
		}
		return new Range(first, last);
	}

	record Summary(long created, long completed, long deleted, long reopened, long open,
			CompletionDuration completionDuration) {
	}

	/** Exact over the range: every completion's duration is stored. */
	record CompletionDuration(long count, Double meanSeconds, Double p50Seconds, Double p95Seconds) {
	}

	private static long number(Object value) {
		return ((Number) value).longValue();
	}

	private static Double decimal(Object value) {
		return (value != null) ? ((Number) value).doubleValue() : null;
	}

	private static LocalDate date(String name, String value, LocalDate fallback, List<FieldProblem> problems) {
		if (value == null) {
			return fallback;
		}
		try {
			return LocalDate.parse(value);
		}
		catch (DateTimeParseException ex) {
			problems.add(new FieldProblem(name, "must be a date like 2026-01-31"));
			return fallback;
		}
	}

}
