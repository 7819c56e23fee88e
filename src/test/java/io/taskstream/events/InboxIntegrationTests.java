package io.taskstream.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.taskstream.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The inbox's order guard against the real schema: an event waits for its predecessor,
 * but not forever.
 */
@IntegrationTest
class InboxIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(60);

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transaction;

	MutableClock clock = new MutableClock();

	List<Long> applied = new ArrayList<>();

	long task = ThreadLocalRandom.current().nextLong(1_000_000_000L, Long.MAX_VALUE);

	@Test
	void anEventBeforeItsPredecessorWaitsAndIsAppliedInOrder() {
		Inbox inbox = inbox(false);
		TaskEvent second = event(2);
		assertThatExceptionOfType(Inbox.OutOfOrderException.class).isThrownBy(() -> process(inbox, second));
		assertThat(process(inbox, event(1))).isTrue();
		assertThat(process(inbox, second)).isTrue();
		assertThat(process(inbox, second)).as("a duplicate").isFalse();
		assertThat(this.applied).containsExactly(1L, 2L);
	}

	@Test
	void aMissingPredecessorIsWaitedForOnlyForTheOrderWait() {
		Inbox inbox = inbox(false);
		TaskEvent second = event(2);
		assertThatExceptionOfType(Inbox.OutOfOrderException.class).isThrownBy(() -> process(inbox, second));
		this.clock.advance(WAIT.minusSeconds(1));
		assertThatExceptionOfType(Inbox.OutOfOrderException.class).isThrownBy(() -> process(inbox, second));
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(process(inbox, second)).isTrue();
		assertThat(process(inbox, event(3))).as("the task goes on in order").isTrue();
		assertThat(process(inbox, event(1))).as("the skipped predecessor, redriven late").isFalse();
		assertThat(this.applied).containsExactly(2L, 3L);
	}

	@Test
	void theEventStoreKeepsALatePredecessor() {
		Inbox inbox = inbox(true);
		TaskEvent third = event(3);
		assertThatExceptionOfType(Inbox.OutOfOrderException.class).isThrownBy(() -> process(inbox, third));
		this.clock.advance(WAIT);
		assertThat(process(inbox, third)).isTrue();
		TaskEvent first = event(1);
		assertThat(process(inbox, first)).isTrue();
		assertThat(process(inbox, first)).as("still exactly once").isFalse();
		assertThat(this.applied).containsExactly(3L, 1L);
	}

	@Test
	void theWaitIsCountedFromTheFirstRefusalNotFromTheEventsAge() {
		Inbox inbox = inbox(false);
		this.clock.advance(Duration.ofDays(1));
		assertThatExceptionOfType(Inbox.OutOfOrderException.class).isThrownBy(() -> process(inbox, event(2)));
	}

	Inbox inbox(boolean keepLate) {
		return new Inbox(this.jdbc, this.transaction, keepLate ? "audit" : "analytics", WAIT, keepLate, this.clock);
	}

	boolean process(Inbox inbox, TaskEvent event) {
		return inbox.processInOrder(event, () -> this.applied.add(event.sequence()));
	}

	TaskEvent event(long sequence) {
		Instant at = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(sequence);
		return new TaskEvent(UUID.randomUUID(), EventType.UPDATED.value(), TaskEvent.SCHEMA_VERSION, this.task,
				"inbox-user", at, sequence,
				new TaskEvent.Data(
						new TaskSnapshot(this.task, "t", null, "OPEN", "LOW", null, null, at, at, null, sequence),
						null),
				new TaskEvent.Metadata("api", null, sequence));
	}

	static final class MutableClock extends Clock {

		private Instant now = Instant.parse("2026-01-01T00:00:00Z");

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

	}

}
