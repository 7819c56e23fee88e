package io.taskstream.events.inbox;

import io.taskstream.events.EventPublisher;
import io.taskstream.events.Outcome;
import io.taskstream.events.EventType;
import io.taskstream.events.TaskEvent;
import io.taskstream.events.CloudEvents;
import io.taskstream.events.TaskSnapshot;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.taskstream.Api;
import io.taskstream.EventLog;
import io.taskstream.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator API for ordering gaps ({@code GET .../gaps}, {@code POST
 * .../gaps/{taskId}/skip} under each subscriber role's prefix), and a gap closed by
 * redriving its dead-lettered predecessor through audit, over the in-process transport.
 */
@IntegrationTest
class InboxGapsApiIntegrationTests {

	static final List<String> PREFIXES = List.of("/api/v1/analytics", "/api/v1/notifications", "/api/v1/events");

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	EventPublisher publisher;

	@Autowired
	Subscriptions subscriptions;

	@LocalManagementPort
	int managementPort;

	Api api;

	String user = Api.newUser();

	long task = ThreadLocalRandom.current().nextLong(3_000_000_000L, 4_000_000_000L);

	@BeforeEach
	void setUp() {
		this.api = Api.onPort(this.port);
	}

	@Test
	void gapsAreForOperatorsOnly() {
		for (String prefix : PREFIXES) {
			assertThat(this.api.get(this.user, prefix + "/gaps").status()).as(prefix).isEqualTo(403);
			assertThat(this.api.get(null, prefix + "/gaps").status()).as(prefix).isEqualTo(401);
			Api.Response skip = this.api.post(this.user, prefix + "/gaps/" + this.task + "/skip", "");
			assertThat(skip.status()).as(prefix).isEqualTo(403);
			assertThat(skip.contentType()).startsWith("application/problem+json");
			assertThat(operator(prefix + "/gaps", "GET").status()).as(prefix).isEqualTo(200);
		}
	}

	@Test
	void skippingATaskWithoutAGapIsANotFoundProblem() {
		for (String prefix : PREFIXES) {
			Api.Response response = operator(prefix + "/gaps/" + this.task + "/skip", "POST");
			assertThat(response.status()).as(prefix).isEqualTo(404);
			assertThat(response.contentType()).startsWith("application/problem+json");
			assertThat(response.json().get("type").asString()).isEqualTo("https://taskstream.io/problems/not-found");
		}
		Api.Response notANumber = operator("/api/v1/analytics/gaps/abc/skip", "POST");
		assertThat(notANumber.status()).isEqualTo(400);
		assertThat(notANumber.contentType()).startsWith("application/problem+json");
	}

	@Test
	void anOperatorSkipAppliesTheParkedEventsAndIsRecorded() {
		TaskEvent completed = event(EventType.COMPLETED, 2);
		assertThat(this.subscriptions.deliver("analytics", completed.type().topic(), bytes(completed)))
			.isEqualTo(Outcome.SUCCESS);
		JsonNode gap = gapOf("/api/v1/analytics");
		assertThat(gap).as("listed while it waits").isNotNull();
		assertThat(gap.get("userId").asString()).isEqualTo(this.user);
		assertThat(longs(gap.get("held"))).containsExactly(2L);
		assertThat(longs(gap.get("missing"))).containsExactly(1L);
		assertThat(gap.get("since").isString()).isTrue();
		assertThat(gap.get("overdue").asBoolean()).isFalse();
		assertThat(summary().get("completed").asLong()).isZero();

		Api.Response skip = operator("/api/v1/analytics/gaps/" + this.task + "/skip", "POST");

		assertThat(skip.status()).as(skip.body()).isEqualTo(200);
		assertThat(skip.json().get("taskId").asLong()).isEqualTo(this.task);
		assertThat(longs(skip.json().get("skipped"))).containsExactly(1L);
		assertThat(longs(skip.json().get("applied"))).containsExactly(2L);
		assertThat(skip.json().get("skippedBy").asString()).isNotBlank();
		assertThat(summary().get("completed").asLong()).as("applied without its created").isEqualTo(1);
		assertThat(gapOf("/api/v1/analytics")).as("no longer listed").isNull();
		JsonNode history = operator("/api/v1/analytics/gaps", "GET").json().get("skipped");
		assertThat(history.valueStream().filter((s) -> s.get("taskId").asLong() == this.task).toList()).singleElement()
			.satisfies((recorded) -> {
				assertThat(recorded.get("userId").asString()).isEqualTo(this.user);
				assertThat(longs(recorded.get("skipped"))).containsExactly(1L);
				assertThat(recorded.get("skippedAt").isString()).isTrue();
			});

		TaskEvent created = event(EventType.CREATED, 1);
		assertThat(this.subscriptions.deliver("analytics", created.type().topic(), bytes(created)))
			.isEqualTo(Outcome.SUCCESS);
		assertThat(summary().get("created").asLong()).as("the late predecessor is ignored, as before").isZero();
	}

	@Test
	void aDeadLetteredPredecessorRedrivenThroughAuditLetsItsSuccessorFollowInOrder() {
		TaskEvent created = event(EventType.CREATED, 1);
		TaskEvent completed = event(EventType.COMPLETED, 2);
		long deadLetter = deadLetter(created);
		this.publisher.publish(completed.type().topic(), this.task, CloudEvents.write(completed, null));
		for (String prefix : PREFIXES) {
			await().untilAsserted(() -> assertThat(gapOf(prefix)).as(prefix).isNotNull());
			assertThat(longs(gapOf(prefix).get("missing"))).as(prefix).containsExactly(1L);
		}
		assertThat(summary().get("completed").asLong()).isZero();
		assertThat(notifications()).isEmpty();

		Api.Response redriven = operator("/api/v1/deadletters/" + deadLetter + "/redrive", "POST");

		assertThat(redriven.status()).as(redriven.body()).isEqualTo(200);
		for (String prefix : PREFIXES) {
			await().untilAsserted(() -> assertThat(gapOf(prefix)).as(prefix).isNull());
		}
		JsonNode summary = summary();
		assertThat(summary.get("created").asLong()).isEqualTo(1);
		assertThat(summary.get("completed").asLong()).isEqualTo(1);
		assertThat(summary.get("open").asLong()).isZero();
		assertThat(notifications()).containsExactly("completed");
		List<JsonNode> history = new EventLog(this.api).awaitExactly(this.user, 2);
		assertThat(history.stream().map((event) -> event.get("sequence").asLong()).toList()).containsExactly(1L, 2L);
	}

	@Test
	void theGapGaugesAreScrapedPerRole() {
		TaskEvent completed = event(EventType.COMPLETED, 2);
		this.subscriptions.deliver("analytics", completed.type().topic(), bytes(completed));

		String scrape = Api.onPort(this.managementPort).get(null, "/actuator/prometheus").body();

		for (String role : List.of("analytics", "notifications", "audit")) {
			assertThat(scrape).contains("taskstream_inbox_parked_events{role=\"" + role + "\"}")
				.contains("taskstream_inbox_oldest_gap_seconds{role=\"" + role + "\"}")
				.contains("taskstream_inbox_overdue_gaps{role=\"" + role + "\"}");
		}
		assertThat(scrape).doesNotContain("taskstream_inbox_parked_events{role=\"analytics\"} 0.0");
		assertThat(operator("/api/v1/analytics/gaps/" + this.task + "/skip", "POST").status()).as("cleaned up")
			.isEqualTo(200);
	}

	/** As a consumer that kept failing would have left it in audit's dead letters. */
	private long deadLetter(TaskEvent event) {
		ObjectNode delivered = (ObjectNode) CloudEvents.tree(CloudEvents.write(event, null));
		delivered.put("topic", EventType.DEAD_LETTER_TOPIC);
		return this.jdbc.sql("""
				INSERT INTO audit.dead_letters (message_id, topic, reason, payload)
				VALUES (:messageId, :topic, 'a subscriber could not process it', :payload) RETURNING id
				""")
			.param("messageId", event.eventId().toString())
			.param("topic", event.type().topic())
			.param("payload", delivered.toString())
			.query(Long.class)
			.single();
	}

	private JsonNode gapOf(String prefix) {
		Api.Response response = operator(prefix + "/gaps", "GET");
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.json()
			.get("gaps")
			.valueStream()
			.filter((gap) -> gap.get("taskId").asLong() == this.task)
			.findFirst()
			.orElse(null);
	}

	private JsonNode summary() {
		return this.api.get(this.user, "/api/v1/analytics/summary?from=2001-07-08&to=2001-07-08").json();
	}

	private List<String> notifications() {
		return this.api.get(this.user, "/api/v1/notifications")
			.json()
			.valueStream()
			.map((n) -> n.get("kind").asString())
			.toList();
	}

	private Api.Response operator(String path, String method) {
		return this.api.operator(IntegrationTest.OPERATOR_TOKEN, path, method);
	}

	private static List<Long> longs(JsonNode array) {
		return array.valueStream().map(JsonNode::asLong).toList();
	}

	private static byte[] bytes(TaskEvent event) {
		return CloudEvents.write(event, null).getBytes(StandardCharsets.UTF_8);
	}

	private TaskEvent event(EventType type, long sequence) {
		Instant at = Instant.parse("2001-07-08T09:00:00Z").plusSeconds(60 * sequence);
		boolean done = type == EventType.COMPLETED;
		TaskSnapshot snapshot = new TaskSnapshot(this.task, "gap", null, done ? "COMPLETED" : "OPEN", "LOW", null, null,
				Instant.parse("2001-07-08T09:00:00Z"), at, done ? at : null, sequence);
		return new TaskEvent(UUID.randomUUID(), type.value(), TaskEvent.SCHEMA_VERSION, this.task, this.user, at,
				sequence,
				new TaskEvent.Data(snapshot, done ? Map.of("status", new TaskEvent.Change("OPEN", "COMPLETED")) : null),
				new TaskEvent.Metadata("api", null, sequence));
	}

}
