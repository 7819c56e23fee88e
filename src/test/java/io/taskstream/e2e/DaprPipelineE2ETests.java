package io.taskstream.e2e;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.taskstream.Api;
import io.taskstream.DevTokens;
import io.taskstream.EventLog;
import io.taskstream.SseClient;
import io.taskstream.stack.LocalStack;
import io.taskstream.stack.StackPorts;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real thing: four role processes, each with its own daprd sidecar, a Kafka broker
 * (KRaft) and PostgreSQL, all on loopback, started by the same launcher as
 * {@code scripts/stack}. Nothing is mocked. The analytics role starts late on purpose,
 * after events were published.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DaprPipelineE2ETests {

	static final String APP_TOKEN = "e2e-app-token-" + UUID.randomUUID();

	static final String DAPR_TOKEN = "e2e-dapr-token-" + UUID.randomUUID();

	/** An operator's token from the stack's dev issuer. */
	static String OPERATOR_TOKEN;

	static final String HOOK_SECRET = "e2e-webhook-secret-" + UUID.randomUUID();

	static LocalStack stack;

	static StackPorts ports = StackPorts.forTests();

	static Api tasks;

	static EventLog audit;

	static Api analytics;

	static Api notifications;

	@BeforeAll
	static void startTheStackWithoutAnalytics() {
		Path repo = Path.of("").toAbsolutePath();
		stack = new LocalStack(repo, repo.resolve("target/e2e-stack"), ports,
				Map.of("APP_API_TOKEN", APP_TOKEN, "DAPR_API_TOKEN", DAPR_TOKEN,
						"TASKSTREAM_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true", "TASKSTREAM_WEBHOOKS_INITIAL_BACKOFF",
						"500ms", "TASKSTREAM_WEBHOOKS_MAX_BACKOFF", "2s"));
		stack.downAndWipe();
		stack.startAll(List.of("postgres", "kafka", "zipkin"));
		stack.startAll(List.of("tasks", "notifications", "audit", "tasks-dapr", "notifications-dapr", "audit-dapr"));
		// every role accepts the tokens of the tasks role's dev issuer: the stack's roles
		// share its key
		DevTokens tokens = DevTokens.onPort(ports.of("tasks").app());
		OPERATOR_TOKEN = tokens.operator("e2e-operator");
		tasks = Api.onPort(ports.of("tasks").app(), tokens);
		audit = new EventLog(Api.onPort(ports.of("audit").app(), tokens));
		analytics = Api.onPort(ports.of("analytics").app(), tokens);
		notifications = Api.onPort(ports.of("notifications").app(), tokens);
	}

	@AfterAll
	static void stopTheStack() {
		if (stack != null) {
			stack.down();
		}
	}

	/**
	 * Scenario 2: offsets start at the oldest message for a consumer group that is new.
	 */
	@Test
	@Order(1)
	void aSubscriberStartedAfterEventsWerePublishedStillReceivesThem() {
		String user = Api.newUser();
		long id = tasks.createTask(user, "before analytics existed").get("id").asLong();
		tasks.post(user, "/api/v1/tasks/" + id + "/complete", "");
		audit.awaitExactly(user, 2);

		stack.startAll(List.of("analytics", "analytics-dapr"));

		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			JsonNode summary = analytics.get(user, "/api/v1/analytics/summary").json();
			assertThat(summary.get("created").asLong()).isEqualTo(1);
			assertThat(summary.get("completed").asLong()).isEqualTo(1);
		});
	}

	/**
	 * Scenario 1: every event reaches all three subscribers exactly once, in per-task
	 * order.
	 */
	@Test
	@Order(2)
	void everyEventReachesEverySubscriberExactlyOnceInPerTaskOrder() throws SQLException {
		Map<String, int[]> expected = new HashMap<>();
		List<String> users = List.of(Api.newUser(), Api.newUser(), Api.newUser());
		for (String user : users) {
			int created = 0;
			int completed = 0;
			int deleted = 0;
			for (int i = 0; i < 4; i++) {
				long id = tasks.createTask(user, "task " + i).get("id").asLong();
				created++;
				tasks.patch(user, "/api/v1/tasks/" + id,
						"{\"title\":\"task " + i + " renamed\",\"priority\":\"HIGH\"}");
				if (i % 2 == 0) {
					tasks.post(user, "/api/v1/tasks/" + id + "/complete", "");
					completed++;
				}
				if (i == 3) {
					tasks.delete(user, "/api/v1/tasks/" + id);
					deleted++;
				}
			}
			expected.put(user, new int[] { created, completed, deleted });
		}

		for (String user : users) {
			int[] counts = expected.get(user);
			int total = counts[0] * 2 + counts[1] + counts[2];
			List<JsonNode> log = audit.awaitExactly(user, total);
			Map<Long, List<Long>> sequences = new HashMap<>();
			log.forEach((event) -> sequences.computeIfAbsent(event.get("taskId").asLong(), (k) -> new ArrayList<>())
				.add(event.get("sequence").asLong()));
			sequences.values().forEach((seq) -> assertThat(seq).isSorted().doesNotHaveDuplicates());
			List<String> ids = log.stream().map((event) -> event.get("eventId").asString()).toList();

			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				JsonNode summary = analytics.get(user, "/api/v1/analytics/summary").json();
				assertThat(summary.get("created").asLong()).isEqualTo(counts[0]);
				assertThat(summary.get("completed").asLong()).isEqualTo(counts[1]);
				assertThat(summary.get("deleted").asLong()).isEqualTo(counts[2]);
				assertThat(summary.get("open").asLong()).isEqualTo(counts[0] - counts[1] - counts[2]);
				assertThat(notifications.get(user, "/api/v1/notifications").json()).hasSize(counts[1] + counts[2]);
				assertThat(processed("analytics", ids)).isEqualTo(ids.size());
				assertThat(processed("notifications", ids)).isEqualTo(ids.size());
			});
		}
	}

	/**
	 * Scenario 3: a poison message is dead-lettered, recorded, and does not block its
	 * partition.
	 */
	@Test
	@Order(3)
	void aPoisonEventIsDeadLetteredAndDoesNotBlockLaterEvents() throws Exception {
		String poisonId = "poison-" + UUID.randomUUID();
		String poison = "{\"specversion\":\"1.0\",\"id\":\"" + poisonId + "\",\"source\":\"e2e\","
				+ "\"type\":\"io.taskstream.task.updated.v1\",\"datacontenttype\":\"application/json\","
				+ "\"data\":{\"eventId\":\"not a uuid\",\"eventType\":\"created\"}}";
		String user = Api.newUser();
		long id = tasks.createTask(user, "partition mate").get("id").asLong();
		audit.awaitExactly(user, 1);
		try (KafkaProducer<String, String> producer = producer()) {
			// same key as the next event of the task, so the same partition
			producer.send(new ProducerRecord<>("task.updated", Long.toString(id), poison)).get();
		}
		tasks.patch(user, "/api/v1/tasks/" + id, "{\"title\":\"after the poison\"}");

		assertThat(audit.awaitExactly(user, 2).get(1).at("/data/task/title").asString()).isEqualTo("after the poison");
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			try (Connection db = database();
					Statement statement = db.createStatement();
					ResultSet row = statement.executeQuery(
							"SELECT topic, reason FROM audit.dead_letters WHERE message_id = '" + poisonId + "'")) {
				assertThat(row.next()).as("dead letter of " + poisonId).isTrue();
				assertThat(row.getString("topic")).isEqualTo("task.updated");
				assertThat(row.getString("reason")).startsWith("poison:");
			}
		});
	}

	/**
	 * Scenario 4: the publishing sidecar is down; the API still works and nothing is
	 * lost.
	 */
	@Test
	@Order(4)
	void withThePublishingSidecarDownNoCallFailsAndTheBacklogDrainsAfterwards() throws SQLException {
		String user = Api.newUser();
		stack.stop("tasks-dapr");
		for (int i = 0; i < 20; i++) {
			assertThat(tasks.post(user, "/api/v1/tasks", "{\"title\":\"offline " + i + "\"}").status()).isEqualTo(201);
		}
		assertThat(unpublished()).isGreaterThanOrEqualTo(20);

		stack.start("tasks-dapr");

		List<JsonNode> log = audit.awaitExactly(user, 20);
		List<String> ids = log.stream().map((event) -> event.get("eventId").asString()).toList();
		assertThat(ids).doesNotHaveDuplicates();
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			assertThat(analytics.get(user, "/api/v1/analytics/summary").json().get("created").asLong()).isEqualTo(20);
			assertThat(processed("analytics", ids)).isEqualTo(20);
			assertThat(processed("notifications", ids)).isEqualTo(20);
		});
		assertThat(unpublished()).isZero();
	}

	/**
	 * Scenario 5: a subscriber dies mid-stream (SIGKILL); nothing is lost or applied
	 * twice.
	 */
	@Test
	@Order(7)
	void aSubscriberKilledMidStreamLosesNothingAndAppliesNothingTwice() throws Exception {
		String user = Api.newUser();
		int total = 60;
		ExecutorService writer = Executors.newSingleThreadExecutor();
		Future<?> writing = writer.submit(() -> {
			for (int i = 0; i < total; i++) {
				assertThat(tasks.post(user, "/api/v1/tasks", "{\"title\":\"stream " + i + "\"}").status())
					.isEqualTo(201);
				sleepQuietly(50);
			}
		});
		await().atMost(Duration.ofSeconds(30))
			.until(() -> analytics.get(user, "/api/v1/analytics/summary").status() == 200
					&& analytics.get(user, "/api/v1/analytics/summary").json().get("created").asLong() > 5);
		stack.kill("analytics");
		writing.get();
		writer.shutdown();
		stack.start("analytics");

		List<String> ids = audit.awaitExactly(user, total)
			.stream()
			.map((event) -> event.get("eventId").asString())
			.toList();
		await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
			assertThat(analytics.get(user, "/api/v1/analytics/summary").json().get("created").asLong())
				.isEqualTo(total);
			assertThat(processed("analytics", ids)).isEqualTo(total);
		});
	}

	@Test
	@Order(6)
	void daprEndpointsRejectCallsWithoutTheAppToken() {
		Api auditApi = Api.onPort(ports.of("audit").app());
		Api.Response response = auditApi.post(null, "/dapr/events/audit/task.created", "{}");
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.contentType()).startsWith("application/problem+json");
		Api.Response subscribe = auditApi
			.send(auditApi.request(null, "/dapr/subscribe").header("dapr-api-token", APP_TOKEN));
		assertThat(subscribe.status()).isEqualTo(200);
		assertThat(subscribe.json()).extracting((s) -> s.get("topic").asString())
			.containsExactlyInAnyOrder("task.created", "task.updated", "task.deleted", "task.completed",
					"task.deadletter", "task.replay");
		assertThat(subscribe.json()).filteredOn((s) -> !s.get("topic").asString().equals("task.deadletter"))
			.allSatisfy((s) -> assertThat(s.get("deadLetterTopic").asString()).isEqualTo("task.deadletter"));
	}

	@Test
	@Order(6)
	void onlyTheTasksRoleMayPublishTaskEvents() {
		Api analyticsSidecar = Api.onPort(ports.of("analytics").daprHttp());
		Api.Response refused = analyticsSidecar
			.send(analyticsSidecar.request(null, "/v1.0/publish/taskstream-pubsub/task.created")
				.header("dapr-api-token", DAPR_TOKEN)
				.header("Content-Type", "application/json")
				.POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")));
		assertThat(refused.status()).as(refused.body()).isEqualTo(403);
		Api.Response withoutToken = analyticsSidecar.post(null, "/v1.0/publish/taskstream-pubsub/task.deadletter",
				"{}");
		assertThat(withoutToken.status()).as("the sidecar's API needs DAPR_API_TOKEN").isEqualTo(401);
	}

	/**
	 * One Zipkin trace from the API request to every subscriber: the tasks app's server
	 * span, its sidecar's publish span as its child, and for each subscriber its
	 * sidecar's delivery span (child of the publish), its own handler span (child of
	 * that) and the handler's database work (connection and query spans, its children).
	 */
	@Test
	@Order(5)
	void oneTraceGoesFromTheRequestThroughEverySidecarToEverySubscriber() {
		String user = Api.newUser();
		long id = traced(user, "POST", "/api/v1/tasks", "{\"title\":\"traced\"}", "task.created").get("id").asLong();
		traced(user, "PATCH", "/api/v1/tasks/" + id, "{\"title\":\"traced again\"}", "task.updated");
		traced(user, "POST", "/api/v1/tasks/" + id + "/complete", "", "task.completed");
	}

	/**
	 * After all the above, each role's Prometheus endpoint shows what went through it.
	 */
	@Test
	@Order(8)
	void everyRoleExposesItsPipelineMetricsWithNonZeroValues() {
		String tasksMetrics = scrape("tasks");
		assertThat(metric(tasksMetrics, "taskstream_publish_seconds_count", "topic=\"task.created\"")).isPositive();
		assertThat(metric(tasksMetrics, "taskstream_publish_failures_total", "reason=\"unavailable\"")).isPositive();
		assertThat(metric(tasksMetrics, "taskstream_outbox_backlog_rows", "")).isZero();
		assertThat(tasksMetrics).contains("taskstream_outbox_oldest_age_seconds");
		for (String role : List.of("analytics", "notifications", "audit")) {
			String metrics = scrape(role);
			assertThat(metric(metrics, "taskstream_events_consumed_total", "outcome=\"success\"")).as(role)
				.isPositive();
			assertThat(metric(metrics, "taskstream_event_lag_seconds_count", "")).as(role).isPositive();
			assertThat(metrics).contains("taskstream_event_lag_seconds_bucket");
		}
		assertThat(metric(scrape("audit"), "taskstream_events_consumed_total", "outcome=\"drop\"")).isPositive();
		assertThat(metric(scrape("audit"), "taskstream_dead_letters_total", "")).isPositive();
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
		try (SseClient phone = SseClient.open(notificationsPort, "/api/v1/notifications/stream", alice, null);
				SseClient laptop = SseClient.open(notificationsPort, "/api/v1/notifications/stream", alice, null)) {
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
	 * Analytics is replaced by a broken deployment that answers 404 to every delivery
	 * (Dapr drops those to the dead-letter topic); after the real one is back, the
	 * operator redrives the dead letters and analytics counts them, once.
	 */
	private void redriveWhatABrokenDeploymentTurnedAway(ScriptedDay day) throws Exception {
		stack.stop("analytics");
		com.sun.net.httpserver.HttpServer broken = com.sun.net.httpserver.HttpServer
			.create(new java.net.InetSocketAddress("127.0.0.1", ports.of("analytics").app()), 0);
		broken.createContext("/", (exchange) -> {
			exchange.sendResponseHeaders(404, -1);
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

	/** The open dead letters of the given events, via the operator API. */
	private static List<JsonNode> openDeadLetters(List<String> eventIds) {
		Api.Response response = audit.api().operator(OPERATOR_TOKEN, "/api/v1/deadletters?status=open", "GET");
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.json()
			.valueStream()
			.filter((letter) -> eventIds.stream().anyMatch((id) -> letter.get("payload").asString().contains(id)))
			.toList();
	}

	private static String scrape(String role) {
		Api.Response response = Api.onPort(LocalStack.managementPort(ports.of(role))).get(null, "/actuator/prometheus");
		assertThat(response.status()).isEqualTo(200);
		return response.body();
	}

	/** The sum of a metric's samples whose labels contain the given text. */
	private static double metric(String scrape, String name, String labels) {
		return scrape.lines()
			.filter((line) -> line.startsWith(name + "{") || line.startsWith(name + " "))
			.filter((line) -> line.contains(labels))
			.mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum();
	}

	/** Sends one request in a trace of its own and checks that trace in Zipkin. */
	private JsonNode traced(String user, String method, String path, String body, String topic) {
		String traceId = UUID.randomUUID().toString().replace("-", "");
		String callerSpan = traceId.substring(0, 16);
		Api.Response response = tasks.send(tasks.request(user, path)
			.header("Content-Type", method.equals("PATCH") ? "application/merge-patch+json" : "application/json")
			.header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
			.method(method, java.net.http.HttpRequest.BodyPublishers.ofString(body)));
		assertThat(response.status()).as(response.body()).isBetween(200, 201);
		Api zipkin = new Api("http://127.0.0.1:" + ports.zipkin());
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
			List<JsonNode> spans = new ArrayList<>();
			Api.Response trace = zipkin.get(null, "/api/v2/trace/" + traceId);
			assertThat(trace.status()).as("trace %s", traceId).isEqualTo(200);
			trace.json().forEach(spans::add);
			JsonNode api = span(spans, "taskstream-tasks", "SERVER", callerSpan);
			JsonNode publish = span(spans, "tasks", "CLIENT", api.get("id").asString());
			assertThat(publish.get("name").asString()).contains(topic);
			for (String role : List.of("analytics", "notifications", "audit")) {
				JsonNode delivery = span(spans, role, "CLIENT", publish.get("id").asString());
				JsonNode handler = span(spans, "taskstream-" + role, "SERVER", delivery.get("id").asString());
				assertThat(handler.get("name").asString()).contains("/dapr/events/" + role + "/" + topic);
				assertThat(spans.stream()
					.filter((span) -> span.path("parentId").asString().equals(handler.get("id").asString()))
					.map((span) -> span.path("name").asString())).as("database work of %s's handler", role)
					.contains("connection", "query");
			}
		});
		return response.json();
	}

	/** The span of a service and kind whose parent is the given span. */
	private static JsonNode span(List<JsonNode> spans, String service, String kind, String parentId) {
		return spans.stream()
			.filter((span) -> span.at("/localEndpoint/serviceName").asString().equals(service)
					&& span.path("kind").asString().equals(kind) && span.path("parentId").asString().equals(parentId))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + kind + " span of " + service + " with parent " + parentId
					+ " among " + spans.size() + " spans"));
	}

	// --- helpers -------------------------------------------------------------------

	static long processed(String role, List<String> eventIds) throws SQLException {
		try (Connection db = database();
				var statement = db.prepareStatement(
						"SELECT count(*) FROM " + role + ".processed_events WHERE event_id = ANY (?::uuid[])")) {
			statement.setArray(1, db.createArrayOf("text", eventIds.toArray()));
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getLong(1);
			}
		}
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

	static long unpublished() throws SQLException {
		try (Connection db = database();
				Statement statement = db.createStatement();
				ResultSet result = statement
					.executeQuery("SELECT count(*) FROM tasks.outbox WHERE published_at IS NULL")) {
			result.next();
			return result.getLong(1);
		}
	}

	static Connection database() throws SQLException {
		return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + ports.postgres() + "/postgres", "postgres",
				"");
	}

	static KafkaProducer<String, String> producer() {
		Properties properties = new Properties();
		properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + ports.kafka());
		properties.put(ProducerConfig.ACKS_CONFIG, "all");
		return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
	}

	static int freePort() throws java.io.IOException {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
				java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/** Computed here, not with the app's code, so the test checks the app's signature. */
	static String hmacSha256(String secret, String text) throws Exception {
		javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
		mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8),
				"HmacSHA256"));
		return java.util.HexFormat.of().formatHex(mac.doFinal(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
	}

	static void sleepQuietly(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
