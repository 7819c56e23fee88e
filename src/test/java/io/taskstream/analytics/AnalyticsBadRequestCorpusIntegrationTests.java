package io.taskstream.analytics;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.taskstream.BadRequestCorpus;
import io.taskstream.IntegrationTest;

/** The analytics role's bad requests: date ranges above all, and the operators' calls. */
@IntegrationTest
class AnalyticsBadRequestCorpusIntegrationTests extends BadRequestCorpus {

	@Override
	protected int atLeast() {
		return 30;
	}

	@Override
	protected Stream<Case> cases() {
		List<Case> cases = new ArrayList<>();
		for (String endpoint : List.of("summary", "rates")) {
			String path = "/api/v1/analytics/" + endpoint;
			cases.add(invalid(endpoint + " from not a date", path + "?from=yesterday"));
			cases.add(invalid(endpoint + " from with a time", path + "?from=2026-01-01T00:00:00Z"));
			cases.add(invalid(endpoint + " from year -300000", path + "?from=-300000-01-01"));
			cases.add(invalid(endpoint + " one day in year -300000", path + "?from=-300000-01-01&to=-300000-01-02"));
			cases.add(invalid(endpoint + " to year +300000", path + "?to=%2B300000-01-01"));
			cases.add(invalid(endpoint + " one day in year 300000", path + "?from=%2B300000-01-01&to=%2B300000-01-01"));
			cases.add(invalid(endpoint + " year 0", path + "?from=0000-01-01&to=0000-01-02"));
			cases.add(invalid(endpoint + " year 10000", path + "?from=%2B10000-01-01&to=%2B10000-01-02"));
			cases.add(invalid(endpoint + " February 30th", path + "?from=2026-02-30&to=2026-03-01"));
			cases.add(invalid(endpoint + " backwards", path + "?from=2026-02-01&to=2026-01-01"));
			cases.add(invalid(endpoint + " over a year", path + "?from=2024-01-01&to=2026-01-01"));
			cases.add(invalid(endpoint + " NUL date", path + "?from=%00"));
			cases.add(bad(endpoint + " without identity", "GET", path, 401, "unauthenticated").as(As.ANONYMOUS));
		}
		cases.add(invalid("rates in weeks", "/api/v1/analytics/rates?bucket=week"));
		cases.add(invalid("rates hourly over two months",
				"/api/v1/analytics/rates?bucket=hour&from=2026-01-01&to=2026-03-01"));
		cases.add(invalid("rates from 0001 to 9999", "/api/v1/analytics/rates?from=0001-01-01&to=9999-12-31"));
		cases.add(bad("totals for a user", "GET", "/api/v1/analytics/totals", 403, "forbidden"));
		cases
			.add(invalid("totals backwards", "/api/v1/analytics/totals?from=2026-02-01&to=2026-01-01").as(As.OPERATOR));
		cases.add(invalid("totals year -300000", "/api/v1/analytics/totals?from=-300000-01-01").as(As.OPERATOR));
		cases.add(bad("rebuild by a user", "POST", "/api/v1/analytics/rebuild", 403, "forbidden"));
		cases.add(bad("rebuild without identity", "POST", "/api/v1/analytics/rebuild", 401, "unauthenticated")
			.as(As.ANONYMOUS));
		cases.add(
				bad("rebuild with GET", "GET", "/api/v1/analytics/rebuild", 405, "method-not-allowed").as(As.OPERATOR));
		return cases.stream();
	}

	private static Case invalid(String name, String path) {
		return bad(name, "GET", path, 400, "invalid-request");
	}

}
