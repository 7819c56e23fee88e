package io.taskstream.docs;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.taskstream.IntegrationTest;
import io.taskstream.events.Outcome;
import io.taskstream.events.TaskEvent;
import io.taskstream.events.inbox.Subscriptions;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every v1 subscriber of the running app takes an event from a later v1 producer (unknown
 * fields, a new {@code metadata.source}) through its whole path, parsing, schema check
 * and inbox, and answers SUCCESS, not DROP: growing v1 as docs/events.md allows never
 * turns events into dead letters.
 */
@IntegrationTest
class EventVersioningIntegrationTests {

	@Autowired
	Subscriptions subscriptions;

	@Autowired
	JdbcClient jdbc;

	@Test
	void everySubscriberAppliesAnEventWithUnknownFieldsAndANewSource() {
		for (String role : new String[] { "analytics", "notifications", "audit" }) {
			TaskEvent event = EventContractTests.event(ThreadLocalRandom.current().nextLong(8_000_000, 9_000_000), 1,
					"web");
			Outcome outcome = this.subscriptions.deliver(role, "task.created",
					EventContractTests.fromALaterV1Producer(event));
			assertThat(outcome).as(role).isEqualTo(Outcome.SUCCESS);
			if (role.equals("audit")) {
				assertThat(storedCopiesOf(event.eventId())).isEqualTo(1);
			}
		}
	}

	private long storedCopiesOf(UUID eventId) {
		return this.jdbc.sql("SELECT count(*) FROM audit.events WHERE event_id = :id")
			.param("id", eventId)
			.query(Long.class)
			.single();
	}

}
