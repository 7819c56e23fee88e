package io.taskstream.notifications;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import io.taskstream.Api;
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

/**
 * The dispatcher against slow and stuck receivers on loopback addresses of their own
 * (each a host of its own): the lease here is 2 s and a receiver may take 8 s
 * ({@link IntegrationTest}); a target gets at most 2 calls at a time, the pool 8.
 */
@IntegrationTest
class WebhookDispatchIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	Api api;

	final List<Receiver> receivers = new ArrayList<>();

	/** Releases every held call. */
	final CountDownLatch release = new CountDownLatch(1);

	@BeforeEach
	void setUp() {
		this.api = Api.onPort(this.port);
	}

	@AfterEach
	void stopTheReceivers() {
		this.release.countDown();
		this.receivers.forEach((receiver) -> receiver.server.stop(0));
	}

	@Test
	void aReceiverSlowerThanTheLeaseGetsEachDeliveryOnce() {
		Receiver slow = receiver("127.0.0.1", true);
		String user = Api.newUser();
		long webhook = register(user, slow);
		for (int i = 0; i < 3; i++) {
			this.api.createTask(user, "slow " + i);
		}
		await().until(() -> slow.calls.get() == 2);
		// held for more than two leases: the claims stay with the calls in flight
		await().during(Duration.ofMillis(4_500))
			.atMost(Duration.ofSeconds(6))
			.until(() -> slow.calls.get() == 2 && leased(webhook) == 2);
		this.release.countDown();

		await().untilAsserted(() -> assertThat(delivered(webhook)).isEqualTo(3));
		assertThat(slow.calls.get()).isEqualTo(3);
		JsonNode log = this.api.get(user, "/api/v1/webhooks/" + webhook + "/deliveries").json();
		assertThat(log.valueStream().mapToInt((d) -> d.get("attempts").asInt())).containsOnly(1);
	}

	@Test
	void aStuckReceiverDoesNotDelayAnotherTargetsDeliveries() {
		Receiver stuck = receiver("127.0.0.2", true);
		String stuckUser = Api.newUser();
		long stuckHook = register(stuckUser, stuck);
		for (int i = 0; i < 6; i++) {
			this.api.createTask(stuckUser, "to a stuck receiver " + i);
		}
		await().until(() -> stuck.calls.get() == 2);
		Receiver healthy = receiver("127.0.0.3", false);
		String otherUser = Api.newUser();
		long healthyHook = register(otherUser, healthy);

		long created = System.nanoTime();
		this.api.createTask(otherUser, "to a healthy receiver");
		await().atMost(Duration.ofSeconds(1)).until(() -> healthy.calls.get() == 1);
		System.out.println("[dispatch] delivered beside a stuck receiver after "
				+ (System.nanoTime() - created) / 1_000_000 + " ms");
		await().until(() -> delivered(healthyHook) == 1);
		assertThat(stuck.calls.get()).as("the stuck target still holds only its share").isEqualTo(2);
		assertThat(leased(stuckHook)).isEqualTo(2);
	}

	@Test
	void claimsNeverExceedTheFreeSenders() {
		List<Long> hooks = new ArrayList<>();
		List<Receiver> stuck = new ArrayList<>();
		for (int host = 4; host <= 8; host++) {
			Receiver receiver = receiver("127.0.0." + host, true);
			String user = Api.newUser();
			hooks.add(register(user, receiver));
			stuck.add(receiver);
			for (int i = 0; i < 3; i++) {
				this.api.createTask(user, "host " + host + " task " + i);
			}
		}
		// 5 targets × 2 would be 10 calls: the pool has 8 senders, and claims only for
		// them
		await().until(() -> stuck.stream().mapToInt((r) -> r.calls.get()).sum() == 8);
		await().during(Duration.ofSeconds(1))
			.atMost(Duration.ofSeconds(3))
			.until(() -> stuck.stream().mapToInt((r) -> r.calls.get()).sum() == 8
					&& hooks.stream().mapToLong(this::leased).sum() == 8);
		assertThat(stuck).allSatisfy((receiver) -> assertThat(receiver.calls.get()).isLessThanOrEqualTo(2));
		this.release.countDown();
		await().untilAsserted(() -> assertThat(hooks.stream().mapToLong(this::delivered).sum()).isEqualTo(15));
		assertThat(stuck.stream().mapToInt((r) -> r.calls.get()).sum()).isEqualTo(15);
	}

	/** Deliveries claimed but not yet tried: a lease in the future and no attempt. */
	private long leased(long webhook) {
		return this.jdbc.sql("""
				SELECT count(*) FROM notifications.webhook_deliveries
				WHERE webhook_id = :id AND status = 'pending' AND attempts = 0 AND next_attempt_at > now()
				""").param("id", webhook).query(Long.class).single();
	}

	private long delivered(long webhook) {
		return this.jdbc.sql(
				"SELECT count(*) FROM notifications.webhook_deliveries WHERE webhook_id = :id AND status = 'delivered'")
			.param("id", webhook)
			.query(Long.class)
			.single();
	}

	private long register(String user, Receiver receiver) {
		Api.Response registered = this.api.post(user, "/api/v1/webhooks",
				"{\"url\":\"http://" + receiver.host + ":" + receiver.server.getAddress().getPort()
						+ "/hook\",\"events\":[\"created\"],\"secret\":\"a-test-secret-of-enough-length\"}");
		assertThat(registered.status()).as(registered.body()).isEqualTo(201);
		return registered.json().get("id").asLong();
	}

	/**
	 * A receiver on a loopback address; one that holds answers each call once released.
	 */
	private Receiver receiver(String host, boolean holds) {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(host, 0), 0);
			Receiver receiver = new Receiver(host, server, new AtomicInteger());
			server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
			server.createContext("/hook", (exchange) -> {
				exchange.getRequestBody().readAllBytes();
				receiver.calls.incrementAndGet();
				if (holds) {
					try {
						this.release.await(7, TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}
				exchange.sendResponseHeaders(204, -1);
				exchange.close();
			});
			server.start();
			this.receivers.add(receiver);
			return receiver;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	record Receiver(String host, HttpServer server, AtomicInteger calls) {
	}

}
