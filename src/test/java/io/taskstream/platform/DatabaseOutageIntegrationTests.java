package io.taskstream.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.taskstream.Api;
import io.taskstream.IntegrationTest;
import io.taskstream.SseClient;
import io.taskstream.events.CloudEvents;
import io.taskstream.events.EventType;
import io.taskstream.events.Outcome;
import io.taskstream.events.TaskEvent;
import io.taskstream.events.TaskSnapshot;
import io.taskstream.events.inbox.Subscriptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real PostgreSQL stopped under a running application and started again: while it is
 * down every API call is a 503 problem with {@code Retry-After} (none a 500, none a
 * success), readiness is DOWN, a delivery is answered RETRY; once it is back the relay,
 * the subscribers and an open live stream carry on by themselves and nothing is lost or
 * applied twice. The database is this test's own (its own context), so stopping it
 * disturbs no other test.
 */
@IntegrationTest
class DatabaseOutageIntegrationTests {

	private static final Path DATA = Path.of("target/outage-postgres");

	private static final int PORT = freePort();

	private static EmbeddedPostgres postgres = start(true);

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@Autowired
	Subscriptions subscriptions;

	@Autowired
	DataSource dataSource;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", () -> "jdbc:postgresql://127.0.0.1:" + PORT + "/postgres");
		registry.add("spring.datasource.username", () -> "postgres");
	}

	@AfterAll
	static void stopDatabase() throws IOException {
		postgres.close();
	}

	@Test
	void whileTheDatabaseIsDownCallsAre503AndEverythingResumesAfterwardsWithNothingLost() throws Exception {
		Api api = Api.onPort(this.port);
		String user = Api.newUser();
		long before = createFromAnotherDevice(api, user, "before the outage");
		await().until(() -> createdNotifications(api, user) == 1);
		long redelivered = before + 1_000_000;
		byte[] delivery = CloudEvents.write(createdEvent(redelivered, user), null).getBytes(StandardCharsets.UTF_8);
		SseClient stream = SseClient.open(this.port, "/api/v1/notifications/stream", user, null);
		await().until(() -> stream.data().size() == 1);
		Api management = Api.onPort(this.managementPort);
		assertThat(readinessWhilePoolIsExhausted(management)).as("a busy pool is not a down database")
			.satisfies((answer) -> assertThat(answer.status()).isEqualTo(200));

		postgres.close();

		List<Api.Response> whileDown = new ArrayList<>();
		whileDown.add(api.post(user, "/api/v1/tasks", "{\"title\":\"during the outage\"}"));
		whileDown.add(api.patch(user, "/api/v1/tasks/" + before, "{\"title\":\"renamed during the outage\"}"));
		whileDown.add(api.get(user, "/api/v1/tasks"));
		whileDown.add(api.get(user, "/api/v1/notifications"));
		whileDown.add(api.get(user, "/api/v1/analytics/summary"));
		whileDown.add(api.get(user, "/api/v1/events?taskId=" + before));
		assertThat(whileDown).allSatisfy((answer) -> {
			assertThat(answer.status()).as(answer.raw().request().uri() + ": " + answer.body()).isEqualTo(503);
			assertThat(answer.contentType()).startsWith("application/problem+json");
			assertThat(answer.json().get("type").asString()).isEqualTo("https://taskstream.io/problems/unavailable");
			assertThat(answer.header("Retry-After")).isEqualTo("5");
		});
		// within a second (an answer is reused that long), and each probe answered at
		// once
		long stopped = System.nanoTime();
		Api.Response readiness = await().atMost(Duration.ofSeconds(3)).until(() -> {
			long asked = System.nanoTime();
			Api.Response answer = management.get(null, "/actuator/health/readiness");
			assertThat(Duration.ofNanos(System.nanoTime() - asked)).as("readiness answers at once")
				.isLessThan(Duration.ofSeconds(3));
			return answer;
		}, (answer) -> answer.status() == 503);
		assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(Duration.ofSeconds(3));
		assertThat(readiness.status()).isEqualTo(503);
		assertThat(readiness.json().get("status").asString()).isEqualTo("DOWN");
		assertThat(readiness.json().at("/components/db/status").asString()).isEqualTo("DOWN");
		assertThat(this.subscriptions.deliver("audit", topicOf("audit"), delivery)).isEqualTo(Outcome.RETRY);

		postgres = start(false);

		await().atMost(Duration.ofSeconds(30))
			.until(() -> management.get(null, "/actuator/health/readiness").status() == 200);
		long after = createFromAnotherDevice(api, user, "after the outage");
		await().atMost(Duration.ofSeconds(30)).until(() -> createdNotifications(api, user) == 2);
		await().atMost(Duration.ofSeconds(30)).until(() -> stream.data().size() == 2);
		assertThat(stream.ended()).as("the stream stayed open through the outage").isFalse();
		assertThat(stream.data().get(1).get("taskId").asLong()).isEqualTo(after);
		assertThat(api.get(user, "/api/v1/tasks").json().get("items")).hasSize(2);
		// the sidecar's retries of the delivery answered RETRY: applied once
		assertThat(this.subscriptions.deliver("audit", topicOf("audit"), delivery)).isEqualTo(Outcome.SUCCESS);
		assertThat(this.subscriptions.deliver("audit", topicOf("audit"), delivery)).isEqualTo(Outcome.SUCCESS);
		for (long task : List.of(before, after, redelivered)) {
			assertThat(api.get(user, "/api/v1/events?taskId=" + task).json().get("items")).as("events of %s", task)
				.hasSize(1);
		}
		assertThat(api.get(user, "/api/v1/analytics/summary").json().get("created").asLong()).isEqualTo(2);
		stream.close();
	}

	/**
	 * Readiness asked while no pooled connection is free (the test holds every idle one,
	 * the relay holds its leader's): a pooled check would wait the connection timeout (10
	 * s) and answer DOWN.
	 */
	private Api.Response readinessWhilePoolIsExhausted(Api management) throws SQLException {
		HikariPoolMXBean pool = DataSourceUnwrapper.unwrap(this.dataSource, HikariDataSource.class)
			.getHikariPoolMXBean();
		List<Connection> held = new ArrayList<>();
		try {
			while (pool.getIdleConnections() > 0 && held.size() < 10) {
				held.add(this.dataSource.getConnection());
			}
			assertThat(pool.getIdleConnections()).isZero();
			long asked = System.nanoTime();
			Api.Response readiness = management.get(null, "/actuator/health/readiness");
			assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(3));
			return readiness;
		}
		finally {
			for (Connection connection : held) {
				connection.close();
			}
		}
	}

	private String topicOf(String role) {
		return this.subscriptions.routes()
			.stream()
			.filter((route) -> route.role().equals(role) && !route.topic().equals(EventType.DEAD_LETTER_TOPIC)
					&& !route.topic().equals(EventType.REPLAY_TOPIC))
			.findFirst()
			.orElseThrow()
			.topic();
	}

	private static TaskEvent createdEvent(long taskId, String user) {
		Instant now = Instant.now();
		return new TaskEvent(UUID.randomUUID(), EventType.CREATED.value(), TaskEvent.SCHEMA_VERSION, taskId, user, now,
				1, new TaskEvent.Data(new TaskSnapshot(taskId, "delivered during the outage", null, "OPEN", "LOW", null,
						null, now, now, null, 1), null),
				new TaskEvent.Metadata("api", null, 1));
	}

	/** A creation the user is told about: it was made on another of their devices. */
	private static long createFromAnotherDevice(Api api, String user, String title) {
		Api.Response created = api.send(api.request(user, "/api/v1/tasks")
			.header("Content-Type", "application/json")
			.header("X-Device-Id", "phone")
			.POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"" + title + "\"}")));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return created.json().get("id").asLong();
	}

	private static long createdNotifications(Api api, String user) {
		long created = 0;
		for (JsonNode notification : api.get(user, "/api/v1/notifications").json()) {
			if ("created".equals(notification.get("kind").asString())) {
				created++;
			}
		}
		return created;
	}

	/**
	 * Starts (or starts again) the test's PostgreSQL on its port. Its data outlives a
	 * stop: the builder's own cleaning would delete it on close, so a fresh run removes
	 * what an earlier one left instead.
	 */
	private static EmbeddedPostgres start(boolean fresh) {
		try {
			if (fresh) {
				FileSystemUtils.deleteRecursively(DATA);
			}
			return EmbeddedPostgres.builder().setDataDirectory(DATA).setCleanDataDirectory(false).setPort(PORT).start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
