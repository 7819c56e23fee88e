package io.taskstream.events.inbox;

import io.taskstream.events.EventType;
import io.taskstream.events.TaskEvent;
import io.taskstream.events.TaskSnapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskstream.IntegrationTest;
import io.taskstream.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What operators see of an inbox's ordering gaps: the gauges, the listing with the
 * missing sequences, and the record of a skip.
 */
@IntegrationTest
class InboxGapsIntegrationTests {

	static final Duration ALERT_AFTER = Duration.ofMinutes(5);

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transaction;

	MutableClock clock = new MutableClock();

	List<Long> applied = new ArrayList<>();

	long task = ThreadLocalRandom.current().nextLong(1_000_000_000L, Long.MAX_VALUE - 10);

	/** An inbox schema of the test's own, so that no other test's events count here. */
	String schema = "gaps_test_" + Long.toHexString(this.task);

	Inbox inbox;

	InboxGaps gaps;

	MeterRegistry registry = new SimpleMeterRegistry();

	@BeforeEach
	void createTheInboxTables() {
		InboxTables.create(this.jdbc, this.schema);
		this.inbox = new Inbox(this.jdbc, this.transaction, this.schema, (event) -> this.applied.add(event.sequence()),
				false, this.clock);
		this.gaps = new InboxGaps(this.jdbc, this.transaction, ALERT_AFTER, this.clock);
		InboxGapMetrics.register(this.registry, this.inbox, this.gaps);
	}

	@AfterEach
	void dropThem() {
		InboxTables.drop(this.jdbc, this.schema);
	}

	@Test
	void theGaugesCountParkedEventsTheOldestWaitAndOverdueTasks() {
		assertThat(gauge("taskstream.inbox.parked")).isZero();
		assertThat(gauge("taskstream.inbox.oldest.gap")).isZero();
		assertThat(gauge("taskstream.inbox.overdue")).isZero();

		this.inbox.process(event(this.task, 3));
		this.clock.advance(Duration.ofMinutes(2));
		this.inbox.process(event(this.task + 1, 2));
		this.inbox.process(event(this.task + 1, 4));
		this.clock.advance(Duration.ofMinutes(3));

		assertThat(gauge("taskstream.inbox.parked")).isEqualTo(3);
		assertThat(gauge("taskstream.inbox.oldest.gap")).isEqualTo(300);
		assertThat(gauge("taskstream.inbox.overdue")).as("one task has waited 5 minutes").isEqualTo(1);
		this.clock.advance(Duration.ofMinutes(2));
		assertThat(gauge("taskstream.inbox.overdue")).isEqualTo(2);

		this.inbox.process(event(this.task, 1));
		this.inbox.process(event(this.task, 2));
		assertThat(gauge("taskstream.inbox.parked")).isEqualTo(2);
		assertThat(gauge("taskstream.inbox.oldest.gap")).isEqualTo(300);
		assertThat(gauge("taskstream.inbox.overdue")).isEqualTo(1);
		assertThat(this.registry.get("taskstream.inbox.parked").gauge().getId().getTag("role")).isEqualTo(this.schema);
	}

	@Test
	void theListingNamesEachTaskItsUserTheHeldAndTheMissingSequencesAndSince() {
		Instant parkedAt = this.clock.instant();
		this.inbox.process(event(this.task, 1));
		this.inbox.process(event(this.task, 3));
		this.inbox.process(event(this.task, 6));
		this.clock.advance(Duration.ofMinutes(6));

		InboxGaps.Report report = this.gaps.report(this.inbox);

		assertThat(report.role()).isEqualTo(this.schema);
		assertThat(report.alertAfterSeconds()).isEqualTo(300);
		assertThat(report.gaps()).singleElement().satisfies((gap) -> {
			assertThat(gap.taskId()).isEqualTo(this.task);
			assertThat(gap.userId()).isEqualTo("gaps-user");
			assertThat(gap.lastApplied()).isEqualTo(1);
			assertThat(gap.held()).containsExactly(3L, 6L);
			assertThat(gap.missing()).containsExactly(2L, 4L, 5L);
			assertThat(gap.since()).isEqualTo(parkedAt);
			assertThat(gap.waitingSeconds()).isEqualTo(360);
			assertThat(gap.overdue()).isTrue();
		});
		assertThat(report.skipped()).isEmpty();
	}

	@Test
	void aSkipIsRecordedWithWhoWhenAndWhatAndLeavesTheListing() {
		this.inbox.process(event(this.task, 2));
		this.inbox.process(event(this.task, 4));
		this.clock.advance(Duration.ofMinutes(1));

		InboxGaps.Skip skip = this.gaps.skip(this.inbox, this.task, "ops-alice").orElseThrow();

		assertThat(skip.skipped()).containsExactly(1L, 3L);
		assertThat(skip.applied()).containsExactly(2L, 4L);
		assertThat(skip.skippedBy()).isEqualTo("ops-alice");
		assertThat(skip.skippedAt()).isEqualTo(this.clock.instant());
		assertThat(this.applied).containsExactly(2L, 4L);
		InboxGaps.Report report = this.gaps.report(this.inbox);
		assertThat(report.gaps()).isEmpty();
		assertThat(report.skipped()).singleElement().satisfies((recorded) -> {
			assertThat(recorded).isEqualTo(skip);
			assertThat(recorded.userId()).isEqualTo("gaps-user");
			assertThat(recorded.taskId()).isEqualTo(this.task);
		});
		assertThat(this.gaps.skip(this.inbox, this.task, "ops-alice")).as("nothing left to skip").isEmpty();
	}

	double gauge(String name) {
		return this.registry.get(name).tag("role", this.schema).gauge().value();
	}

	TaskEvent event(long task, long sequence) {
		Instant at = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(sequence);
		return new TaskEvent(UUID.randomUUID(), EventType.UPDATED.value(), TaskEvent.SCHEMA_VERSION, task, "gaps-user",
				at, sequence,
				new TaskEvent.Data(new TaskSnapshot(task, "t", null, "OPEN", "LOW", null, null, at, at, null, sequence),
						null),
				new TaskEvent.Metadata("api", null, sequence));
	}

}
