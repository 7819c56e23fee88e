package io.taskstream.analytics;

import java.time.Duration;
import java.time.Instant;

import io.taskstream.Api;
import io.taskstream.IntegrationTest;
import io.taskstream.MutableClock;
import io.taskstream.events.inbox.Inbox;
import io.taskstream.events.TaskEvent;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A task's predecessor event that comes minutes after its successor: analytics waits for
 * it (with its real projection and schema, and a clock the test moves) and counts both,
 * in order, instead of counting the successor alone.
 */
@IntegrationTest
class LateEventsIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transaction;

	@Autowired
	AnalyticsProjection projection;

	MutableClock clock = new MutableClock(Instant.now());

	@Test
	void aCreatedEventTenMinutesLateLeavesNoWrongCount() {
		Api api = Api.onPort(this.port);
		String user = Api.newUser();
		AnalyticsIntegrationTests.TaskEvents task = new AnalyticsIntegrationTests.TaskEvents(user,
				Instant.parse("2001-05-06T09:00:00Z"));
		TaskEvent created = task.created(1);
		TaskEvent completed = task.completed(1, Duration.ofMinutes(30));
		Inbox inbox = new Inbox(this.jdbc, this.transaction, "analytics", this.projection::apply, false, this.clock);

		assertThat(inbox.process(completed)).isEqualTo(Inbox.Result.PARKED);
		this.clock.advance(Duration.ofMinutes(10));
		assertThat(inbox.process(completed)).as("redelivered ten minutes later").isEqualTo(Inbox.Result.PARKED);
		inbox.applyReady();
		JsonNode waiting = day(api, user);
		assertThat(waiting.get("completed").asLong()).isZero();
		assertThat(waiting.get("open").asLong()).isZero();

		assertThat(inbox.process(created)).isEqualTo(Inbox.Result.APPLIED);

		JsonNode counted = day(api, user);
		assertThat(counted.get("created").asLong()).isEqualTo(1);
		assertThat(counted.get("completed").asLong()).isEqualTo(1);
		assertThat(counted.get("open").asLong()).isZero();
		assertThat(counted.at("/completionDuration/count").asLong()).isEqualTo(1);
	}

	private static JsonNode day(Api api, String user) {
		return api.get(user, "/api/v1/analytics/summary?from=2001-05-06&to=2001-05-06").json();
	}

}
