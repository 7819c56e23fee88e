package io.taskstream.tools.chaos;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a run left behind, as counted from the load's answers and the roles' databases
 * once delivery settled: the input of {@link Verdict}.
 *
 * @param calls the API calls the load made, by answer
 * @param tolerated the statuses this scenario allows (e.g. 503 while PostgreSQL is down);
 * every other non-2xx answer fails the verdict
 * @param committed the events the tasks role committed (its outbox rows)
 * @param unpublished outbox rows still not published when the run gave up waiting
 * @param processed per subscriber, how many of the committed events its inbox holds
 * @param appliedTwice per subscriber, the committed events whose effect is there more
 * than once
 * @param projections what a projection holds beside what the load did
 */
record Observed(Calls calls, Set<Integer> tolerated, long committed, long unpublished, Map<String, Long> processed,
		Map<String, Long> appliedTwice, List<Projection> projections) {

	/**
	 * The load's calls by answer.
	 *
	 * @param unanswered calls that got no HTTP answer at all (refused, reset, timed out)
	 * @param byStatus answered calls by status code
	 */
	record Calls(long total, long unanswered, Map<Integer, Long> byStatus) {

		long ok() {
			return count((status) -> status >= 200 && status < 300);
		}

		long notOk() {
			return count((status) -> status < 200 || status >= 300);
		}

		long serverErrors() {
			return count((status) -> status >= 500);
		}

		long count(java.util.function.IntPredicate which) {
			return this.byStatus.entrySet()
				.stream()
				.filter((entry) -> which.test(entry.getKey()))
				.mapToLong(Map.Entry::getValue)
				.sum();
		}

	}

	/** One number a projection holds, and the number the load's changes say it should. */
	record Projection(String name, long expected, long actual) {

		boolean matches() {
			return this.expected == this.actual;
		}

	}

}
