package io.taskstream.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import io.taskstream.Api;
import io.taskstream.DevTokens;
import io.taskstream.EventLog;
import io.taskstream.tools.stack.LocalStack;
import io.taskstream.tools.stack.StackPorts;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Kafka secured as issue 17 asks, through real sidecars: SASL_SSL with SCRAM-SHA-512, a
 * local CA, the StandardAuthorizer with one ACL set per role
 * ({@code io.taskstream.tools.stack.KafkaAccess}), and each sidecar reading its
 * credentials from its own Dapr secret store. A stack of its own on its own ports
 * ({@link StackPorts#forSecureTests()}), started and stopped by this class, before the
 * shared {@link E2EStack} starts ({@code @Order(0)}), so it never runs beside it. Without
 * Zipkin and tracing: nothing here is about traces.
 *
 * <p>
 * Each negative test names the rule it proves; docs/local-kafka-security.md lists them.
 */
@Order(0)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuredKafkaE2ETests {

	private static final StackPorts ports = StackPorts.forSecureTests();

	private static final LocalStack stack = new LocalStack(repo(), repo().resolve("target/e2e-secured-stack"), ports,
			Map.of("APP_API_TOKEN", "e2e-app-token-" + UUID.randomUUID(), "DAPR_API_TOKEN",
					"e2e-dapr-token-" + UUID.randomUUID(), "TASKSTREAM_TRACING_EXPORT", "false",
					"TASKSTREAM_TRACING_SAMPLING", "0",
					// a refused publish is retried within 2 s once the sidecar is fixed
					"TASKSTREAM_EVENTS_RELAY_MAX_BACKOFF", "2s"),
			true);

	private static final List<String> ROLES = StackPorts.ROLES;

	/** Users' tokens from the tasks role's dev issuer, as in {@link E2EStack}. */
	private static final DevTokens tokens = DevTokens.onPort(ports.of("tasks").app());

	private static final Api tasks = Api.onPort(ports.of("tasks").app(), tokens);

	private static final EventLog audit = new EventLog(Api.onPort(ports.of("audit").app(), tokens));

	private static final Api analytics = Api.onPort(ports.of("analytics").app(), tokens);

	private static final Api notifications = Api.onPort(ports.of("notifications").app(), tokens);

	/** The analytics role's actuator, on its management port. */
	private static final Api analyticsManagement = Api.onPort(ports.of("analytics").management());

	@BeforeAll
	static void startTheSecuredStack() {
		stack.downAndWipe();
		stack.startAll(List.of("postgres", "kafka"));
		List<String> parts = new ArrayList<>(ROLES);
		ROLES.forEach((role) -> parts.add(role + "-dapr"));
		stack.startAll(parts);
	}

	@AfterAll
	static void stopIt() {
		stack.down();
	}

	/**
	 * Every event of a small scripted set reaches every subscriber exactly once, each
	 * sidecar logged in as its own role with only its own rights.
	 */
	@Test
	@Order(1)
	void everyEventReachesEverySubscriberExactlyOnceOverTheSecuredBroker() throws SQLException {
		Map<String, int[]> expected = new HashMap<>();
		List<String> users = List.of(Api.newUser(), Api.newUser());
		for (String user : users) {
			List<Long> ids = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				long id = tasks.createTask(user, "secured " + i).get("id").asLong();
				ids.add(id);
				assertThat(
						tasks.patch(user, "/api/v1/tasks/" + id, "{\"title\":\"secured " + i + " renamed\"}").status())
					.isEqualTo(200);
			}
			assertThat(tasks.post(user, "/api/v1/tasks/" + ids.get(0) + "/complete", "").status()).isEqualTo(200);
			assertThat(tasks.delete(user, "/api/v1/tasks/" + ids.get(2)).status()).isEqualTo(204);
			expected.put(user, new int[] { 3, 1, 1 });
		}
		for (String user : users) {
			int[] counts = expected.get(user);
			List<JsonNode> log = audit.awaitExactly(user, counts[0] * 2 + counts[1] + counts[2]);
			List<String> eventIds = log.stream().map((event) -> event.get("eventId").asString()).toList();
			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				JsonNode summary = analytics.get(user, "/api/v1/analytics/summary").json();
				assertThat(summary.get("created").asLong()).isEqualTo(counts[0]);
				assertThat(summary.get("completed").asLong()).isEqualTo(counts[1]);
				assertThat(summary.get("deleted").asLong()).isEqualTo(counts[2]);
				assertThat(notifications.get(user, "/api/v1/notifications").json()).hasSize(counts[1] + counts[2]);
				for (String role : List.of("analytics", "notifications", "audit")) {
					assertThat(processed(role, eventIds)).as(role).isEqualTo(eventIds.size());
				}
			});
		}
	}

	/** Rule: clients speak TLS and log in (the only client listener is SASL_SSL). */
	@Test
	@Order(2)
	void aPlaintextClientIsRefused() {
		Map<String, Object> plaintext = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + ports.kafka(),
				AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
				2000);
		try (Admin admin = Admin.create(plaintext)) {
			// what a PLAINTEXT client sees: the broker drops its connection at once (its
			// bytes are no TLS handshake), so the call can only time out
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> admin.describeCluster().nodes().get())
				.withCauseInstanceOf(TimeoutException.class);
		}
	}

	/** Rule: clients verify the broker against the local CA. */
	@Test
	@Order(3)
	void aClientThatDoesNotTrustTheLocalCaIsRefused() {
		Map<String, Object> config = new HashMap<>(stack.kafkaClient("analytics", stack.kafkaPassword("analytics")));
		// the JDK's own trust store: public CAs, not ours
		config.remove("ssl.truststore.location");
		config.remove("ssl.truststore.password");
		config.remove("ssl.truststore.type");
		config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
		config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
		try (Admin admin = Admin.create(config)) {
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> admin.describeCluster().nodes().get())
				.havingCause()
				.isInstanceOf(SslAuthenticationException.class)
				.withMessageContaining("SSL handshake failed");
		}
	}

	/**
	 * Rule: a subscriber may not write task events (only task.deadletter), and reads only
	 * with its own consumer group.
	 */
	@Test
	@Order(4)
	void aSubscribersCredentialsCannotWriteTaskCreatedNorReadWithAnotherRolesGroup() throws Exception {
		try (KafkaProducer<String, String> producer = producer("analytics", stack.kafkaPassword("analytics"))) {
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> producer.send(new ProducerRecord<>("task.created", "1", "{}")).get())
				.havingCause()
				.isInstanceOf(TopicAuthorizationException.class)
				.withMessageContaining("task.created");
			// the same login may write its dead letters
			assertThat(producer.send(new ProducerRecord<>("task.deadletter", "1", "{}")).get().topic())
				.isEqualTo("task.deadletter");
		}
		Map<String, Object> config = new HashMap<>(stack.kafkaClient("analytics", stack.kafkaPassword("analytics")));
		config.put(ConsumerConfig.GROUP_ID_CONFIG, "audit");
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new StringDeserializer())) {
			consumer.subscribe(List.of("task.created"));
			assertThatExceptionOfType(GroupAuthorizationException.class)
				.isThrownBy(() -> consumer.poll(Duration.ofSeconds(10)))
				.withMessageContaining("audit");
		}
	}

	/**
	 * Rule (seen through the pipeline): the tasks sidecar logged in with a subscriber's
	 * credentials gets the broker's authorization error; the API still answers 201, the
	 * relay keeps the event in the outbox and retries, and once the sidecar has its own
	 * credentials back the event is delivered.
	 */
	@Test
	@Order(5)
	void aPublishWithASubscribersCredentialsIsRefusedAndTheOutboxKeepsTheEvent() throws Exception {
		stack.stop("tasks-dapr");
		stack.useKafkaLogin("tasks", "analytics", stack.kafkaPassword("analytics"));
		stack.start("tasks-dapr");
		String user = Api.newUser();
		long logStart = Files.size(stack.log("tasks"));
		try {
			tasks.createTask(user, "refused by the broker");
			// Dapr answers 500 for the whole publish: the relay treats it as an outage
			// (one log line, the rows wait and are retried with backoff)
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(Files.readString(stack.log("tasks")).substring((int) logStart))
					.contains("Publishing events fails: the sidecar answered 500")
					.contains("ERR_PUBSUB_PUBLISH_MESSAGE")
					.contains("The client is not authorized to access this topic"));
			assertThat(unpublished(user)).isEqualTo(1);
			assertThat(audit.all(user)).isEmpty();
		}
		finally {
			stack.stop("tasks-dapr");
			stack.useKafkaLogin("tasks", null, null);
			stack.start("tasks-dapr");
		}
		audit.awaitExactly(user, 1);
		await().atMost(Duration.ofSeconds(30)).until(() -> unpublished(user) == 0);
	}

	/**
	 * Rule: only a role's own password logs it in. Its sidecar exits (a component that
	 * fails to initialise stops daprd), so it never becomes ready; the app's readiness
	 * and its metric say the sidecar is unreachable, daprd's log says why.
	 */
	@Test
	@Order(6)
	void aSidecarWithAWrongPasswordNeverBecomesReadyAndTheAppSaysSo() throws IOException {
		stack.stop("analytics-dapr");
		stack.useKafkaLogin("analytics", "analytics", "not-the-password");
		try {
			stack.launch("analytics-dapr");
			await().atMost(Duration.ofSeconds(60))
				.until(() -> Files.readString(stack.log("analytics-dapr"))
					.contains("SASL Authentication failed: Authentication failed during authentication due to "
							+ "invalid credentials with SASL mechanism SCRAM-SHA-512"));
			assertThat(Files.readString(stack.log("analytics-dapr"))).contains("daprd will exit");
			await().atMost(Duration.ofSeconds(30)).until(() -> stack.pid("analytics-dapr").isEmpty());
			assertThat(stack.healthy("analytics-dapr")).isFalse();

			await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
				Api.Response readiness = analyticsManagement.get(null, "/actuator/health/readiness");
				assertThat(readiness.status()).isEqualTo(503);
				JsonNode sidecar = readiness.json().at("/components/daprSidecar");
				assertThat(sidecar.path("status").asString()).isEqualTo("DOWN");
				assertThat(sidecar.at("/details/state").asString()).isEqualTo("unreachable");
			});
			String metrics = analyticsManagement.get(null, "/actuator/prometheus").body();
			assertThat(metrics).contains("taskstream_dapr_sidecar_state{state=\"unreachable\"} 1.0")
				.contains("taskstream_dapr_sidecar_state{state=\"ready\"} 0.0");
		}
		finally {
			stack.useKafkaLogin("analytics", null, null);
			stack.start("analytics-dapr");
		}
		await().atMost(Duration.ofSeconds(15))
			.until(() -> analyticsManagement.get(null, "/actuator/health/readiness").status() == 200);
	}

	private static KafkaProducer<String, String> producer(String user, String password) {
		Map<String, Object> config = new HashMap<>(stack.kafkaClient(user, password));
		config.put(ProducerConfig.ACKS_CONFIG, "all");
		config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10000);
		config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10000);
		config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
		return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
	}

	private static long processed(String role, List<String> eventIds) throws SQLException {
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

	private static long unpublished(String user) throws SQLException {
		try (Connection db = database();
				var statement = db.prepareStatement(
						"SELECT count(*) FROM tasks.outbox WHERE published_at IS NULL AND payload LIKE ?")) {
			statement.setString(1, "%\"" + user + "\"%");
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getLong(1);
			}
		}
	}

	private static Connection database() throws SQLException {
		return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + ports.postgres() + "/postgres", "postgres",
				"");
	}

	private static Path repo() {
		return Path.of("").toAbsolutePath();
	}

}
