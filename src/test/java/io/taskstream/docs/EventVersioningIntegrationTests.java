package io.taskstream.docs;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.taskstream.IntegrationTest;
import io.taskstream.events.EventSubscription;
import io.taskstream.events.Outcome;
import io.taskstream.events.TaskEvent;
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
	Map<String, EventSubscription> subscriptions;

	@Autowired
	JdbcClient jdbc;

	@Test
	void everySubscriberAppliesAnEventWithUnknownFieldsAndANewSource() {
		assertThat(this.subscriptions).containsKeys("analyticsTaskEvents", "notificationsTaskEvents",
				"auditTaskEvents");
		for (String name : new String[] { "analyticsTaskEvents", "notificationsTaskEvents", "auditTaskEvents" }) {
			TaskEvent event = EventContractTests.event(ThreadLocalRandom.current().nextLong(8_000_000, 9_000_000), 1,
					"web");
			Outcome outcome = this.subscriptions.get(name)
				.deliver("task.created", EventContractTests.fromALaterV1Producer(event));
			assertThat(outcome).as(name).isEqualTo(Outcome.SUCCESS);
			if (name.equals("auditTaskEvents")) {
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
