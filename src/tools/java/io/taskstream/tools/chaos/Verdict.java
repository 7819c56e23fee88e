package io.taskstream.tools.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether a run kept every promise, computed from what it left behind: every call
 * answered (and with 2xx, or a status the scenario tolerates), every committed event
 * published and applied at every subscriber exactly once, every projection equal to what
 * the load did. A scenario may add failures of its own (e.g. no new leader).
 *
 * @param failures why it failed, one line each; empty when it passed
 */
record Verdict(List<String> failures) {

	boolean passed() {
		return this.failures.isEmpty();
	}

	/** {@code PASS}, or {@code FAIL: } and the reasons. */
	String line() {
		return passed() ? "PASS" : "FAIL: " + String.join("; ", this.failures);
	}

	static Verdict of(Observed observed, List<String> scenarioFailures) {
		List<String> failures = new ArrayList<>();
		Observed.Calls calls = observed.calls();
		if (calls.total() == 0) {
			failures.add("the load made no call");
		}
		if (calls.unanswered() > 0) {
			failures.add(calls.unanswered() + " of " + calls.total() + " calls got no answer");
		}
		for (Map.Entry<Integer, Long> status : calls.byStatus().entrySet()) {
			int code = status.getKey();
			boolean success = code >= 200 && code < 300;
			if (!success && !observed.tolerated().contains(code)) {
				failures.add(status.getValue() + " calls answered " + code);
			}
		}
		if (observed.committed() == 0) {
			failures.add("no event was committed");
		}
		if (observed.unpublished() > 0) {
			failures.add(observed.unpublished() + " committed events never published");
		}
		observed.processed().forEach((subscriber, processed) -> {
			if (processed < observed.committed()) {
				failures.add(subscriber + " lost " + (observed.committed() - processed) + " of " + observed.committed()
						+ " events");
			}
			else if (processed > observed.committed()) {
				failures.add(subscriber + " holds " + (processed - observed.committed()) + " events never committed");
			}
		});
		observed.appliedTwice().forEach((subscriber, twice) -> {
			if (twice > 0) {
				failures.add(subscriber + " applied " + twice + " events more than once");
			}
		});
		for (Observed.Projection projection : observed.projections()) {
			if (!projection.matches()) {
				failures
					.add(projection.name() + " is " + projection.actual() + ", the load says " + projection.expected());
			}
		}
		failures.addAll(scenarioFailures);
		return new Verdict(List.copyOf(failures));
	}

}
