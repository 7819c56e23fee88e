package io.taskstream.events;

import java.util.List;

import io.taskstream.Api;
import io.taskstream.EventLog;
import io.taskstream.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IntegrationTest
class OutboxRelayIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	FaultInjectingTransport transport;

	@Autowired
	JdbcClient jdbc;

	Api api;

	EventLog events;

	String user;

	@BeforeEach
	void setUp() {
		this.api = Api.onPort(this.port);
		this.events = new EventLog(this.api);
		this.user = Api.newUser();
	}

	@AfterEach
	void heal() {
		this.transport.heal();
	}

	@Test
	void anOutageFailsNoApiCallAndTheBacklogDrainsInOrderAfterwards() {
		this.transport.breakDown();
		long first = this.api.createTask(this.user, "during outage 1").get("id").asLong();
		long second = this.api.createTask(this.user, "during outage 2").get("id").asLong();
		assertThat(this.api.patch(this.user, "/api/v1/tasks/" + first, "{\"title\":\"renamed\"}").status())
			.isEqualTo(200);
		assertThat(this.api.post(this.user, "/api/v1/tasks/" + first + "/complete", "").status()).isEqualTo(200);
		assertThat(this.api.delete(this.user, "/api/v1/tasks/" + second).status()).isEqualTo(204);
		await().until(() -> this.transport.publishCalls() > 2);
		assertThat(unpublishedOf(first) + unpublishedOf(second)).isEqualTo(5);
		assertThat(this.events.all(this.user)).isEmpty();

		this.transport.heal();

		List<JsonNode> log = this.events.awaitExactly(this.user, 5);
		assertThat(sequencesOf(log, first)).containsExactly(1L, 2L, 3L);
		assertThat(sequencesOf(log, second)).containsExactly(1L, 2L);
		await().until(() -> unpublishedOf(first) + unpublishedOf(second) == 0);
	}

	@Test
	void aFailedPublishHoldsBackOnlyThatTasksLaterEvents() {
		long stuck = this.api.createTask(this.user, "stuck").get("id").asLong();
		this.events.awaitExactly(this.user, 1);
		this.transport.failNextPublishesOf(stuck, 3);
		this.api.patch(this.user, "/api/v1/tasks/" + stuck, "{\"title\":\"stuck 2\"}");
		this.api.patch(this.user, "/api/v1/tasks/" + stuck, "{\"title\":\"stuck 3\"}");
		long free = this.api.createTask(this.user, "free").get("id").asLong();

		List<JsonNode> log = this.events.awaitExactly(this.user, 4);
		assertThat(sequencesOf(log, stuck)).containsExactly(1L, 2L, 3L);
		assertThat(sequencesOf(log, free)).containsExactly(1L);
		Integer attempts = this.jdbc.sql("SELECT max(attempts) FROM tasks.outbox WHERE task_id = :task")
			.param("task", stuck)
			.query(Integer.class)
			.single();
		assertThat(attempts).isEqualTo(3);
	}

	@Test
	void aRowTheSetupKeepsRefusingIsParkedAndHoldsBackOnlyItsTask() {
		long refused = this.api.createTask(this.user, "refused").get("id").asLong();
		this.events.awaitExactly(this.user, 1);
		this.transport.failNextPublishesOf(refused, 1_000, DaprTransport.CONFIGURATION_ERROR + "403 injected");
		this.api.patch(this.user, "/api/v1/tasks/" + refused, "{\"title\":\"refused 2\"}");

		await().untilAsserted(() -> assertThat(this.jdbc.sql("""
				SELECT attempts FROM tasks.outbox WHERE task_id = :task AND next_attempt_at = 'infinity'
				""").param("task", refused).query(Integer.class).list())
			.containsExactly(OutboxRelay.CONFIGURATION_ERROR_ATTEMPTS));
		long other = this.api.createTask(this.user, "unaffected").get("id").asLong();
		assertThat(this.events.awaitExactly(this.user, 2).get(1).get("taskId").asLong()).isEqualTo(other);
	}

	private long unpublishedOf(long taskId) {
		return this.jdbc.sql("SELECT count(*) FROM tasks.outbox WHERE task_id = :task AND published_at IS NULL")
			.param("task", taskId)
			.query(Long.class)
			.single();
	}

	private static List<Long> sequencesOf(List<JsonNode> log, long taskId) {
		return log.stream()
			.filter((event) -> event.get("taskId").asLong() == taskId)
			.map((event) -> event.get("sequence").asLong())
			.toList();
	}

}
