package io.taskstream.notifications;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import io.taskstream.Api;
import io.taskstream.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhooks against a real HTTP receiver on loopback (private targets allowed in tests).
 */
@IntegrationTest
class WebhooksIntegrationTests {

	static final String SECRET = "a-test-secret-of-enough-length";

	@LocalServerPort
	int port;

	Api api;

	String user;

	HttpServer receiver;

	final List<Received> received = new CopyOnWriteArrayList<>();

	final AtomicInteger failuresLeft = new AtomicInteger();

	record Received(String body, String signature, String eventId) {
	}

	@BeforeEach
	void startTheReceiver() throws IOException {
		this.api = Api.onPort(this.port);
		this.user = Api.newUser();
		this.receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.receiver.createContext("/hook", (exchange) -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			int status = (this.failuresLeft.getAndDecrement() > 0) ? 503 : 204;
			if (status == 204) {
				this.received.add(new Received(body, exchange.getRequestHeaders().getFirst("X-Taskstream-Signature"),
						exchange.getRequestHeaders().getFirst("X-Taskstream-Event-Id")));
			}
			exchange.sendResponseHeaders(status, -1);
			exchange.close();
		});
		this.receiver.start();
	}

	@AfterEach
	void stopTheReceiver() {
		this.receiver.stop(0);
	}

	@Test
	void everyDeliveryArrivesSignedEvenAfterTheReceiverWasDownForAWhile() {
		this.failuresLeft.set(3);
		Api.Response registered = this.api.post(this.user, "/api/v1/webhooks",
				"{\"url\":\"http://127.0.0.1:" + this.receiver.getAddress().getPort()
						+ "/hook\",\"events\":[\"created\",\"completed\"],\"secret\":\"" + SECRET + "\"}");
		assertThat(registered.status()).as(registered.body()).isEqualTo(201);
		long webhook = registered.json().get("id").asLong();
		assertThat(registered.json().get("secret").asString()).isEqualTo(SECRET);

		long task = this.api.createTask(this.user, "hooked").get("id").asLong();
		this.api.patch(this.user, "/api/v1/tasks/" + task, "{\"title\":\"not subscribed to updates\"}");
		this.api.post(this.user, "/api/v1/tasks/" + task + "/complete", "");

		await().untilAsserted(() -> assertThat(this.received).hasSize(2));
		for (Received delivery : this.received) {
			String timestamp = delivery.signature().substring(2, delivery.signature().indexOf(','));
			assertThat(delivery.signature())
				.isEqualTo(Webhooks.signature(SECRET, Long.parseLong(timestamp), delivery.body()));
			assertThat(Api.json.readTree(delivery.body()).get("eventId").asString()).isEqualTo(delivery.eventId());
		}
		assertThat(this.received).extracting((r) -> Api.json.readTree(r.body()).get("eventType").asString())
			.containsExactlyInAnyOrder("created", "completed");
		JsonNode log = this.api.get(this.user, "/api/v1/webhooks/" + webhook + "/deliveries").json();
		assertThat(log).hasSize(2).allSatisfy((d) -> assertThat(d.get("status").asString()).isEqualTo("delivered"));
		assertThat(log.valueStream().mapToInt((d) -> d.get("attempts").asInt()).sum()).isEqualTo(2 + 3);
	}

	@Test
	void badRegistrationsAreProblems() {
		for (String body : new String[] { "{\"url\":\"ftp://127.0.0.1/x\",\"events\":[\"created\"]}",
				"{\"url\":\"http://127.0.0.1/x\",\"events\":[\"renamed\"]}", "{\"url\":\"http://127.0.0.1/x\"}",
				"{\"url\":\"http://127.0.0.1/x\",\"events\":[\"created\"],\"secret\":\"short\"}",
				"{\"url\":\"http://127.0.0.1/x\",\"events\":[\"created\"],\"colour\":1}", "[]" }) {
			Api.Response response = this.api.post(this.user, "/api/v1/webhooks", body);
			assertThat(response.status()).as(body).isEqualTo(400);
			assertThat(response.json().get("type").asString())
				.isEqualTo("https://taskstream.io/problems/invalid-request");
		}
		assertThat(this.api.get(Api.newUser(), "/api/v1/webhooks/1/deliveries").status()).isEqualTo(404);
		assertThat(this.api.get(this.user, "/api/v1/webhooks").json()).isEmpty();
	}

}
