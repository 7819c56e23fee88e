package io.taskstream.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import io.taskstream.Api;
import io.taskstream.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What is not {@code /api/v1}: the Dapr endpoints answer only a caller with the app API
 * token, however the path is spelled, and the actuator lives on the management port only.
 * Requests go out as raw HTTP so that no client normalizes the paths first.
 */
@IntegrationTest
class SideDoorIntegrationTests {

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@Test
	void theSidecarWithTheAppTokenGetsPastTheCheck() throws IOException {
		// the in-process context serves no Dapr endpoints (the Dapr-mode context of
		// AnalyticsOnlyDaprSubscriptionsIntegrationTests does): with the token, the call
		// reaches the dispatcher and finds nothing, instead of being turned away
		String response = raw(this.port, "GET /dapr/subscribe HTTP/1.1",
				"dapr-api-token: " + IntegrationTest.APP_TOKEN);

		assertThat(status(response)).as(response).isEqualTo(404);
	}

	@Test
	void aWrongAppTokenIsA401Problem() throws IOException {
		String response = raw(this.port, "GET /dapr/subscribe HTTP/1.1", "dapr-api-token: not-the-token");

		assertThat(status(response)).isEqualTo(401);
		assertThat(response).contains("application/problem+json")
			.contains("\"type\":\"https://taskstream.io/problems/unauthenticated\"");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "/dapr/subscribe", "/dapr;x=1/subscribe", "/%64apr/subscribe", "/%64%61%70%72/subscribe",
			"//dapr/subscribe", "/./dapr/subscribe", "/dapr/./subscribe", "/x/../dapr/subscribe",
			"/api/v1/../../dapr/subscribe", "/api/v1/%2e%2e/%2e%2e/dapr/subscribe", "/dapr/subscribe;jsessionid=1",
			"/dapr%2fsubscribe", "/DAPR/subscribe", "/dapr/subscribe/", "/healthz", "/dapr/config" })
	void noSpellingOfADaprPathGetsInWithoutTheAppToken(String path) throws IOException {
		String response = raw(this.port, "GET " + path + " HTTP/1.1");

		// the subscription list never leaks; 400 is the firewall refusing the spelling
		assertThat(status(response)).as(response).isIn(400, 401);
		assertThat(response).doesNotContain("pubsubname");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "/dapr;x=1/events/analytics", "/%64apr/events/analytics", "//dapr/events/analytics",
			"/./dapr/events/analytics", "/task.created", "/anything" })
	void aForgedEventPostIsRefused(String path) throws IOException {
		String body = "{\"id\":\"x\",\"data\":{}}";
		String response = raw(this.port, "POST " + path + " HTTP/1.1", "Content-Type: application/cloudevents+json",
				"Content-Length: " + body.length(), "", body);

		assertThat(status(response)).as(response).isIn(400, 401);
	}

	@Test
	void theSdksActorRoutesAre404EvenWithTheAppToken() throws IOException {
		String response = raw(this.port, "PUT /actors/SomeActor/1/method/run HTTP/1.1",
				"dapr-api-token: " + IntegrationTest.APP_TOKEN, "Content-Length: 0");
		String anonymous = raw(this.port, "DELETE /actors/SomeActor/1 HTTP/1.1");

		assertThat(status(response)).as(response).isEqualTo(404);
		assertThat(response).contains("\"type\":\"https://taskstream.io/problems/not-found\"");
		assertThat(status(anonymous)).as(anonymous).isEqualTo(404);
	}

	@Test
	void theActuatorIsOnTheManagementPortOnly() {
		assertThat(this.managementPort).isNotEqualTo(this.port);
		Api management = Api.onPort(this.managementPort);
		assertThat(management.get(null, "/actuator/health/readiness").status()).isEqualTo(200);
		assertThat(management.get(null, "/actuator/prometheus").status()).isEqualTo(200);

		Api api = Api.onPort(this.port);
		for (String path : new String[] { "/actuator/health", "/actuator/prometheus", "/actuator/metrics" }) {
			Api.Response response = api.get(null, path);
			assertThat(response.status()).as(path).isIn(401, 404);
			assertThat(response.body()).doesNotContain("jvm_").doesNotContain("\"UP\"");
		}
	}

	private static String raw(int port, String requestLine, String... headersAndBody) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(10_000);
			StringBuilder request = new StringBuilder(requestLine)
				.append("\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
			boolean body = false;
			for (String line : headersAndBody) {
				if (line.isEmpty()) {
					body = true;
					request.append("\r\n");
				}
				else {
					request.append(line).append(body ? "" : "\r\n");
				}
			}
			if (!body) {
				request.append("\r\n");
			}
			OutputStream out = socket.getOutputStream();
			out.write(request.toString().getBytes(StandardCharsets.UTF_8));
			out.flush();
			InputStream in = socket.getInputStream();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	private static int status(String response) {
		return Integer.parseInt(response.substring(9, 12));
	}

}
