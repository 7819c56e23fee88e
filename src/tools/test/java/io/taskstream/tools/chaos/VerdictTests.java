package io.taskstream.tools.chaos;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VerdictTests {

	private static final Map<String, Long> NONE_TWICE = Map.of("audit", 0L, "notifications", 0L);

	private static Observed.Calls calls(long unanswered, Map<Integer, Long> byStatus) {
		return new Observed.Calls(unanswered + byStatus.values().stream().mapToLong(Long::longValue).sum(), unanswered,
				byStatus);
	}

	private static Observed observed(Observed.Calls calls, Set<Integer> tolerated, long committed,
			Map<String, Long> processed, Map<String, Long> twice, List<Observed.Projection> projections) {
		return new Observed(calls, tolerated, committed, 0, processed, twice, projections);
	}

	private static Map<String, Long> everywhere(long processed) {
		return Map.of("analytics", processed, "notifications", processed, "audit", processed);
	}

	@Test
	void aRunWhereEveryCallSucceededAndEveryEventArrivedOnceEverywherePasses() {
		Verdict verdict = Verdict.of(observed(calls(0, Map.of(201, 600L, 200, 400L)), Set.of(), 1000, everywhere(1000),
				NONE_TWICE, List.of(new Observed.Projection("analytics: created", 600, 600))), List.of());

		assertThat(verdict.passed()).isTrue();
		assertThat(verdict.line()).isEqualTo("PASS");
	}

	@Test
	void anEventMissingAtOneSubscriberIsLostAndFails() {
		Verdict verdict = Verdict.of(observed(calls(0, Map.of(201, 10L)), Set.of(), 10,
				Map.of("analytics", 10L, "notifications", 7L, "audit", 10L), NONE_TWICE, List.of()), List.of());

		assertThat(verdict.passed()).isFalse();
		assertThat(verdict.failures()).containsExactly("notifications lost 3 of 10 events");
	}

	@Test
	void anEffectStoredTwiceFailsEvenWhenTheInboxCountsItOnce() {
		Verdict verdict = Verdict.of(observed(calls(0, Map.of(201, 10L)), Set.of(), 10, everywhere(10),
				Map.of("audit", 0L, "notifications", 2L), List.of()), List.of());

		assertThat(verdict.failures()).containsExactly("notifications applied 2 events more than once");
	}

	@Test
	void aProjectionThatDiffersFromWhatTheLoadDidFails() {
		Verdict verdict = Verdict.of(observed(calls(0, Map.of(201, 10L)), Set.of(), 10, everywhere(10), NONE_TWICE,
				List.of(new Observed.Projection("analytics: created", 10, 11))), List.of());

		assertThat(verdict.failures()).containsExactly("analytics: created is 11, the load says 10");
	}

	@Test
	void unansweredCallsAndServerErrorsFailUnlessTheScenarioToleratesTheStatus() {
		Observed.Calls calls = calls(2, Map.of(201, 90L, 503, 5L, 500, 1L, 404, 2L));

		Verdict strict = Verdict.of(observed(calls, Set.of(), 90, everywhere(90), NONE_TWICE, List.of()), List.of());
		Verdict tolerant = Verdict.of(observed(calls, Set.of(503), 90, everywhere(90), NONE_TWICE, List.of()),
				List.of());

		assertThat(strict.failures()).contains("2 of 100 calls got no answer", "5 calls answered 503",
				"1 calls answered 500", "2 calls answered 404");
		assertThat(tolerant.failures()).doesNotContain("5 calls answered 503").contains("1 calls answered 500");
		assertThat(calls.notOk()).isEqualTo(8);
		assertThat(calls.serverErrors()).isEqualTo(6);
		assertThat(calls.ok()).isEqualTo(90);
	}

	@Test
	void unpublishedEventsAnEmptyRunAndTheScenariosOwnReasonsFail() {
		Verdict unpublished = Verdict.of(
				new Observed(calls(0, Map.of(201, 10L)), Set.of(), 10, 4, everywhere(10), NONE_TWICE, List.of()),
				List.of("no new leader within 180 s"));
		Verdict empty = Verdict.of(observed(calls(0, Map.of()), Set.of(), 0, everywhere(0), NONE_TWICE, List.of()),
				List.of());

		assertThat(unpublished.failures()).containsExactly("4 committed events never published",
				"no new leader within 180 s");
		assertThat(empty.failures()).containsExactly("the load made no call", "no event was committed");
	}

	@Test
	void aSubscriberHoldingEventsNobodyCommittedFails() {
		Verdict verdict = Verdict.of(
				observed(calls(0, Map.of(201, 10L)), Set.of(), 10,
						Map.of("analytics", 12L, "notifications", 10L, "audit", 10L), NONE_TWICE, List.of()),
				List.of());

		assertThat(verdict.failures()).containsExactly("analytics holds 2 events never committed");
	}

}
