package io.taskstream.platform;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.taskstream.Api;
import io.taskstream.IntegrationTest;
import io.taskstream.SseClient;
import io.taskstream.TestIssuer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The default quotas, as a user meets them: 429 problems with {@code Retry-After}. */
@IntegrationTest
class QuotasIntegrationTests {

	@LocalServerPort
	int port;

	Api api;

	String user;

	@BeforeEach
	void api() {
		this.api = Api.onPort(this.port);
		this.user = Api.newUser();
	}

	@Test
	void aUserWritingFasterThanTheRateGets429() {
		int accepted = 0;
		Api.Response response;
		do {
			// an invalid body: refused at once, but a write all the same
			response = this.api.post(this.user, "/api/v1/tasks", "{}");
			accepted++;
		}
		while (response.status() == 400 && accepted < 500);

		assertThat(accepted).isGreaterThan(100);
		assertTooManyRequests(response);
		assertThat(this.api.get(this.user, "/api/v1/tasks").status()).as("reads are not writes").isEqualTo(200);
		assertThat(this.api.post(Api.newUser(), "/api/v1/tasks", "{}").status()).as("another user").isEqualTo(400);
	}

	@Test
	void aUserHasAtMost20Webhooks() {
		List<Long> ids = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			Api.Response registered = register(i);
			assertThat(registered.status()).as(registered.body()).isEqualTo(201);
			ids.add(registered.json().get("id").asLong());
		}

		assertTooManyRequests(register(20));
		assertThat(this.api.get(this.user, "/api/v1/webhooks").json()).hasSize(20);
		assertThat(this.api.delete(this.user, "/api/v1/webhooks/" + ids.get(0)).status()).isEqualTo(204);
		assertThat(register(21).status()).isEqualTo(201);
	}

	@Test
	void aUserHasAtMost10LiveStreamsAndAClosedOneFreesItsSlot() throws Exception {
		List<SseClient> streams = new ArrayList<>();
		try {
			for (int i = 0; i < 10; i++) {
				streams.add(SseClient.open(this.port,
						(i % 2 == 0) ? "/api/v1/notifications/stream" : "/api/v1/events/stream", this.user, null));
			}

			assertTooManyRequests(openStream());
			try (SseClient another = SseClient.open(this.port, "/api/v1/notifications/stream", Api.newUser(), null)) {
				assertThat(another.heartbeats()).isGreaterThanOrEqualTo(0);
			}

			streams.remove(0).close();
			// the server notices the closed stream on its next heartbeat
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				HttpResponse<InputStream> response = openStreamRaw();
				response.body().close();
				return response.statusCode() == 200;
			});
		}
		finally {
			for (SseClient stream : streams) {
				stream.close();
			}
		}
	}

	private Api.Response register(int i) {
		return this.api.post(this.user, "/api/v1/webhooks",
				"{\"url\":\"http://127.0.0.1:9/hook-" + i + "\",\"events\":[\"created\"]}");
	}

	private Api.Response openStream() {
		return this.api.send(this.api.request(this.user, "/api/v1/notifications/stream")
			.header("Accept", "text/event-stream")
			.timeout(Duration.ofSeconds(5)));
	}

	private HttpResponse<InputStream> openStreamRaw() throws Exception {
		HttpRequest request = HttpRequest
			.newBuilder(java.net.URI.create("http://127.0.0.1:" + this.port + "/api/v1/notifications/stream"))
			.header("Authorization", "Bearer " + TestIssuer.token(this.user))
			.header("Accept", "text/event-stream")
			.build();
		return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
	}

	private static void assertTooManyRequests(Api.Response response) {
		assertThat(response.status()).as(response.body()).isEqualTo(429);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("type").asString())
			.isEqualTo("https://taskstream.io/problems/too-many-requests");
		assertThat(Long.parseLong(response.header("Retry-After"))).isPositive();
	}

}
