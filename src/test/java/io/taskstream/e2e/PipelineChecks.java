package io.taskstream.e2e;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import io.taskstream.Api;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.JsonNode;

import static io.taskstream.e2e.E2EStack.*;
import static org.assertj.core.api.Assertions.assertThat;

/** What the end-to-end tests read from the stack: its database, broker and metrics. */
final class PipelineChecks {

	private PipelineChecks() {
	}

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

	/** The open dead letters of the given events, via the operator API. */
	static List<JsonNode> openDeadLetters(List<String> eventIds) {
		Api.Response response = audit.api().operator(OPERATOR_TOKEN, "/api/v1/deadletters?status=open", "GET");
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.json()
			.valueStream()
			.filter((letter) -> eventIds.stream().anyMatch((id) -> letter.get("payload").asString().contains(id)))
			.toList();
	}

	static String scrape(String role) {
		Api.Response response = Api.onPort(ports.of(role).management()).get(null, "/actuator/prometheus");
		assertThat(response.status()).isEqualTo(200);
		return response.body();
	}

	/** The sum of a metric's samples whose labels contain the given text. */
	static double metric(String scrape, String name, String labels) {
		return scrape.lines()
			.filter((line) -> line.startsWith(name + "{") || line.startsWith(name + " "))
			.filter((line) -> line.contains(labels))
			.mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum();
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

	/** Whether the role's sidecar delivers in batches, as its app asks. */
	static boolean deliversInBatches(String role) {
		Api app = Api.onPort(ports.of(role).app());
		Api.Response subscribe = app.send(app.request(null, "/dapr/subscribe").header("dapr-api-token", APP_TOKEN));
		return subscribe.json().valueStream().anyMatch((s) -> s.at("/bulkSubscribe/enabled").asBoolean(false));
	}

}
