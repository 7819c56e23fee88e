package io.taskstream.e2e;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.taskstream.Api;
import io.taskstream.SseClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import static io.taskstream.e2e.E2EStack.*;
import static io.taskstream.e2e.PipelineChecks.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One scripted day of three users through the real stack ({@link E2EStack}): analytics,
 * notifications, webhooks, a rebuild and a dead-letter redrive all come out right. Runs
 * last: its rebuild replays the whole suite's history.
 */
@ExtendWith(E2EStack.class)
@Order(5)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScriptedDayE2ETests {

	static final String HOOK_SECRET = "e2e-webhook-secret-" + UUID.randomUUID();

	@BeforeAll
	static void analyticsRuns() {
		withAnalytics();
	}

	/**
	 * One scripted day of three users through the real stack: analytics equal to the
	 * script; every notification pushed once to each of two devices; a webhook receiver
	 * that was down gets every delivery, signed; a rebuild reproduces the analytics; and
	 * events that a broken analytics deployment turned away are dead-lettered and, once
	 * it is fixed, redriven into it.
	 */
	@Test
	@Order(9)
	void aScriptedDayOfThreeUsersComesOutRightEverywhere() throws Exception {
		String alice = Api.newUser();
		String bob = Api.newUser();
		String carol = Api.newUser();
		int hookPort = freePort(); // nothing listens there yet: the receiver is down
		Api.Response hook = notifications.post(bob, "/api/v1/webhooks", "{\"url\":\"http://127.0.0.1:" + hookPort
				+ "/hook\",\"events\":[\"created\",\"completed\",\"deleted\"],\"secret\":\"" + HOOK_SECRET + "\"}");
		assertThat(hook.status()).as(hook.body()).isEqualTo(201);
		long hookId = hook.json().get("id").asLong();

		List<ScriptedDay> days;
		int notificationsPort = ports.of("notifications").app();
		try (SseClient phone = SseClient.open(notificationsPort, "/api/v1/notifications/stream", alice, null, tokens);
				SseClient laptop = SseClient.open(notificationsPort, "/api/v1/notifications/stream", alice, null,
						tokens)) {
			days = List.of(new ScriptedDay(tasks, alice).run(0), new ScriptedDay(tasks, bob).run(1),
					new ScriptedDay(tasks, carol).run(2));

			await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
				for (ScriptedDay day : days) {
					day.assertSummary(analytics.get(day.user, "/api/v1/analytics/summary").json());
				}
			});
			List<String> alicesNotifications = notifications.get(alice, "/api/v1/notifications")
				.json()
				.valueStream()
				.map((n) -> n.get("id").asString())
				.toList();
			assertThat(alicesNotifications).hasSize(days.get(0).notifications);
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				assertThat(phone.ids()).containsExactlyInAnyOrderElementsOf(alicesNotifications);
				assertThat(laptop.ids()).containsExactlyInAnyOrderElementsOf(alicesNotifications);
			});
		}

		int expectedDeliveries = days.get(1).createdCompletedDeleted;
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			JsonNode log = notifications.get(bob, "/api/v1/webhooks/" + hookId + "/deliveries").json();
			assertThat(log).hasSize(expectedDeliveries);
			assertThat(log).allSatisfy((d) -> assertThat(d.get("attempts").asInt()).as("failed attempts").isPositive());
		});
		List<String[]> received = new java.util.concurrent.CopyOnWriteArrayList<>();
		com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer
			.create(new java.net.InetSocketAddress("127.0.0.1", hookPort), 0);
		receiver.createContext("/hook", (exchange) -> {
			received.add(new String[] { exchange.getRequestHeaders().getFirst("X-Taskstream-Signature"),
					new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8) });
			exchange.sendResponseHeaders(204, -1);
			exchange.close();
		});
		receiver.start();
		try {
			await().atMost(Duration.ofSeconds(60)).until(() -> received.size() >= expectedDeliveries);
		}
		finally {
			receiver.stop(0);
		}
		assertThat(received).hasSize(expectedDeliveries).allSatisfy((delivery) -> {
			long timestamp = Long.parseLong(delivery[0].substring(2, delivery[0].indexOf(',')));
			assertThat(delivery[0])
				.isEqualTo("t=" + timestamp + ",v1=" + hmacSha256(HOOK_SECRET, timestamp + "." + delivery[1]));
		});
		assertThat(received.stream().map((d) -> Api.json.readTree(d[1]).get("eventId").asString()))
			.doesNotHaveDuplicates();

		long rebuildStarted = System.nanoTime();
		Api.Response rebuilt = analytics.operator(OPERATOR_TOKEN, "/api/v1/analytics/rebuild", "POST");
		assertThat(rebuilt.status()).as(rebuilt.body()).isEqualTo(200);
		// The rebuild replays the whole suite's history, one event at a time per
		// partition.
		try {
			await().atMost(Duration.ofSeconds(150)).untilAsserted(() -> {
				for (ScriptedDay day : days) {
					day.assertSummary(analytics.get(day.user, "/api/v1/analytics/summary").json());
				}
			});
		}
		catch (org.awaitility.core.ConditionTimeoutException ex) {
			throw new AssertionError(ex.getMessage() + "\n" + rebuildDiagnostics(rebuilt.json(), rebuildStarted), ex);
		}
		System.out.println("[e2e] rebuild: " + rebuilt.json().get("replayed").asLong()
				+ " events replayed, analytics identical after " + (System.nanoTime() - rebuildStarted) / 1_000_000
				+ " ms");

		redriveWhatABrokenDeploymentTurnedAway(days.get(2));
	}

	/**
	 * Analytics is replaced by a broken deployment that refuses every event it is given:
	 * it answers {@code DROP} (per entry when the sidecar delivers a batch), as the real
	 * app does for an event it can never process, and the sidecar dead-letters them.
	 * After the real one is back, the operator redrives the dead letters and analytics
	 * counts them, once.
	 * <p>
	 * Not a 404: Dapr 1.18 dead-letters a single delivery answered 404, but counts a
	 * batch answered 404 as handled and dead-letters none of it (see docs/events.md,
	 * "Delivery in batches"); the roles never answer 404 to a delivery
	 * ({@code AnalyticsOnlyDaprSubscriptionsIntegrationTests}).
	 */
	private void redriveWhatABrokenDeploymentTurnedAway(ScriptedDay day) throws Exception {
		boolean inBatches = deliversInBatches("analytics");
		stack.stop("analytics");
		AtomicInteger batches = new AtomicInteger();
		com.sun.net.httpserver.HttpServer broken = com.sun.net.httpserver.HttpServer
			.create(new java.net.InetSocketAddress("127.0.0.1", ports.of("analytics").app()), 0);
		broken.createContext("/", (exchange) -> {
			JsonNode delivery = Api.json.readTree(exchange.getRequestBody());
			String answer;
			if (delivery.has("entries")) {
				batches.incrementAndGet();
				answer = Api.json.writeValueAsString(Map.of("statuses",
						delivery.get("entries")
							.valueStream()
							.map((entry) -> Map.of("entryId", entry.get("entryId").asString(), "status", "DROP"))
							.toList()));
			}
			else {
				answer = "{\"status\":\"DROP\"}";
			}
			byte[] body = answer.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		broken.start();
		List<String> turnedAway;
		try {
			long id = day.create("while analytics was broken", null);
			day.complete(id);
			List<JsonNode> events = audit.awaitExactly(day.user, day.events);
			turnedAway = events.subList(events.size() - 2, events.size())
				.stream()
				.map((event) -> event.get("eventId").asString())
				.toList();
			await().atMost(Duration.ofSeconds(60))
				.untilAsserted(() -> assertThat(openDeadLetters(turnedAway)).hasSize(2));
		}
		finally {
			broken.stop(0);
		}
		assertThat(batches.get() > 0).as("deliveries came in batches").isEqualTo(inBatches);
		stack.start("analytics");
		for (JsonNode letter : openDeadLetters(turnedAway)) {
			assertThat(letter.get("reason").asString()).contains("could not process");
			Api.Response redriven = audit.api()
				.operator(OPERATOR_TOKEN, "/api/v1/deadletters/" + letter.get("id").asLong() + "/redrive", "POST");
			assertThat(redriven.status()).as(redriven.body()).isEqualTo(200);
		}
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			day.assertSummary(analytics.get(day.user, "/api/v1/analytics/summary").json());
			assertThat(processed("analytics", turnedAway)).isEqualTo(2);
		});
		assertThat(openDeadLetters(turnedAway)).isEmpty();
	}

	/**
	 * What a stalled rebuild leaves behind: how far analytics got, and any task whose
	 * stored events are out of sequence order (the replay re-emits them in stored order).
	 */
	private static String rebuildDiagnostics(JsonNode rebuilt, long startedNanos) {
		StringBuilder diagnostics = new StringBuilder(
				"rebuild answered " + rebuilt + ", " + (System.nanoTime() - startedNanos) / 1_000_000_000 + " s ago\n");
		try (Connection db = database(); Statement statement = db.createStatement()) {
			for (String query : List.of("SELECT 'audit events: ' || count(*) FROM audit.events",
					"SELECT 'analytics processed: ' || count(*) FROM analytics.processed_events",
					"SELECT 'stored out of sequence order: task ' || task_id || ' seq ' || sequence || ' after ' || previous"
							+ " FROM (SELECT task_id, sequence, lag(sequence) OVER (PARTITION BY task_id ORDER BY position)"
							+ " AS previous FROM audit.events) e WHERE sequence < previous")) {
				try (ResultSet rows = statement.executeQuery(query)) {
					while (rows.next()) {
						diagnostics.append(rows.getString(1)).append('\n');
					}
				}
			}
			for (String line : java.nio.file.Files.readAllLines(stack.log("analytics"))) {
				if (line.contains(" WARN ") || line.contains(" ERROR ")) {
					diagnostics.append(line).append('\n');
				}
			}
		}
		catch (SQLException | java.io.IOException ex) {
			diagnostics.append("(diagnostics failed: ").append(ex).append(")");
		}
		return diagnostics.toString();
	}

}
