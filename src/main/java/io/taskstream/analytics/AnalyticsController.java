package io.taskstream.analytics;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.taskstream.platform.ConditionalOnRole;
import io.taskstream.platform.FieldProblem;
import io.taskstream.platform.Problems;
import io.taskstream.platform.UserId;

import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/analytics/summary}: the caller's numbers over a range of UTC days.
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
		List<FieldProblem> problems = new ArrayList<>();
		LocalDate first = date("from", from, LocalDate.of(1970, 1, 1), problems);
		LocalDate last = date("to", to, LocalDate.of(9999, 12, 31), problems);
		if (problems.isEmpty() && first.isAfter(last)) {
			problems.add(new FieldProblem("from", "must not be after 'to'"));
		}
		if (problems.isEmpty() && from != null && to != null && ChronoUnit.DAYS.between(first, last) >= MAX_SPAN_DAYS) {
			problems.add(new FieldProblem("to", "the range may span at most " + MAX_SPAN_DAYS + " days"));
		}
		if (!problems.isEmpty()) {
			throw Problems.invalidRequest(problems);
		}
		Map<String, Object> counts = this.jdbc.sql("""
				SELECT coalesce(sum(created), 0) AS created, coalesce(sum(completed), 0) AS completed,
				       coalesce(sum(deleted), 0) AS deleted, coalesce(sum(reopened), 0) AS reopened
				FROM analytics.daily_counts WHERE user_id = :user AND day BETWEEN :from AND :to
				""").param("user", user.value()).param("from", first).param("to", last).query().singleRow();
		long open = this.jdbc.sql("""
				SELECT count(*) FROM analytics.task_state WHERE user_id = :user AND status = 'OPEN' AND NOT deleted
				""").param("user", user.value()).query(Long.class).single();
		Map<String, Object> durations = this.jdbc.sql("""
				SELECT count(*) AS n, avg(seconds) AS mean,
				       percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS p50,
				       percentile_cont(0.95) WITHIN GROUP (ORDER BY seconds) AS p95
				FROM analytics.completion_durations WHERE user_id = :user AND day BETWEEN :from AND :to
				""").param("user", user.value()).param("from", first).param("to", last).query().singleRow();
		return new Summary(number(counts.get("created")), number(counts.get("completed")),
				number(counts.get("deleted")), number(counts.get("reopened")), open,
				new CompletionDuration(number(durations.get("n")), decimal(durations.get("mean")),
						decimal(durations.get("p50")), decimal(durations.get("p95"))));
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
