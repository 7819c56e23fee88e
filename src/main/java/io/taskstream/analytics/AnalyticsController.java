package io.taskstream.analytics;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import io.taskstream.platform.ConditionalOnRole;
import io.taskstream.platform.FieldProblem;
import io.taskstream.platform.FourDigitYear;
import io.taskstream.platform.OperatorOnly;
import io.taskstream.platform.Problems;
import io.taskstream.platform.UserId;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The analytics API: the caller's numbers over a range of UTC days
 * ({@code /api/v1/analytics/summary}), everyone's for operators ({@code /totals}), and
 * creation and completion rates ({@code /rates}). Every date is in the years 0001-9999,
 * and a rates query spans a bounded number of days, so no query a client can shape runs
 * long (the statement timeout is the backstop).
 */
@RestController
@ConditionalOnRole("analytics")
class AnalyticsController {

	static final int MAX_SPAN_DAYS = 366;

	/** An hourly series lists every hour: a month is 744 points. */
	static final int MAX_HOURLY_SPAN_DAYS = 31;

	private final AnalyticsQueries queries;

	AnalyticsController(AnalyticsQueries queries) {
		this.queries = queries;
	}

	@GetMapping(path = "/api/v1/analytics/summary",
			produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE })
	AnalyticsQueries.Summary summary(UserId user, @RequestParam(required = false) String from,
			@RequestParam(required = false) String to) {
		Range range = summaryRange(from, to);
		return this.queries.summarize(user.value(), range.from(), range.to());
	}

	/** The same numbers over every user, for operators. */
	@GetMapping(path = "/api/v1/analytics/totals",
			produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE })
	@OperatorOnly
	AnalyticsQueries.Summary totals(@RequestParam(required = false) String from,
			@RequestParam(required = false) String to) {
		Range range = summaryRange(from, to);
		return this.queries.summarize(null, range.from(), range.to());
	}

	/** A summary may be open-ended: the span limit applies when both ends are given. */
	private static Range summaryRange(String from, String to) {
		List<FieldProblem> problems = new ArrayList<>();
		Range range = range(from, to, LocalDate.of(1970, 1, 1), FourDigitYear.LAST,
				(from != null && to != null) ? MAX_SPAN_DAYS : Integer.MAX_VALUE, problems);
		if (!problems.isEmpty()) {
			throw Problems.invalidRequest(problems);
		}
		return range;
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
		if (!List.of("hour", "day").contains(bucket)) {
			problems.add(new FieldProblem("bucket", "must be one of [hour, day]"));
		}
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		Range range = range(from, to, today.minusDays(6), today,
				bucket.equals("hour") ? MAX_HOURLY_SPAN_DAYS : MAX_SPAN_DAYS, problems);
		if (!problems.isEmpty()) {
			throw Problems.invalidRequest(problems);
		}
		return new Rates(bucket, range.from(), range.to(),
				this.queries.rates(user.value(), range.from(), range.to(), bucket));
	}

	record Rates(String bucket, LocalDate from, LocalDate to, List<AnalyticsQueries.Point> points) {
	}

	record Range(LocalDate from, LocalDate to) {
	}

	/** A checked range of UTC days: from <= to, at most {@code maxDays} days. */
	private static Range range(String from, String to, LocalDate defaultFrom, LocalDate defaultTo, int maxDays,
			List<FieldProblem> problems) {
		int before = problems.size();
		LocalDate first = date("from", from, defaultFrom, problems);
		LocalDate last = date("to", to, defaultTo, problems);
		if (problems.size() == before && first.isAfter(last)) {
			problems.add(new FieldProblem("from", "must not be after 'to'"));
		}
		if (problems.size() == before && ChronoUnit.DAYS.between(first, last) >= maxDays) {
			problems.add(new FieldProblem("to", "the range may span at most " + maxDays + " days"));
		}
		return new Range(first, last);
	}

	private static LocalDate date(String name, String value, LocalDate fallback, List<FieldProblem> problems) {
		if (value == null) {
			return fallback;
		}
		try {
			LocalDate date = LocalDate.parse(value);
			if (FourDigitYear.Validator.allows(date)) {
				return date;
			}
		}
		catch (DateTimeParseException ex) {
			// reported below
		}
		problems.add(new FieldProblem(name, "must be a date in the years 0001-9999, like 2026-01-31"));
		return fallback;
	}

}
