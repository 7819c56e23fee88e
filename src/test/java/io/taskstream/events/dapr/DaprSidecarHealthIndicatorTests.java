package io.taskstream.events.dapr;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskstream.events.EventsProperties;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

class DaprSidecarHealthIndicatorTests {

	@Test
	void aSidecarThatDoesNotRunIsUnreachableInReadinessAndInTheMetric() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		DaprSidecarHealthIndicator indicator = indicator(port);
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		indicator.bindTo(registry);

		var health = indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("state", "unreachable");
		assertThat(health.getDetails().get("error").toString()).contains("daprd is not running");
		assertThat(state(registry, "unreachable")).isEqualTo(1);
		assertThat(state(registry, "ready")).isZero();
		assertThat(state(registry, "not_ready")).isZero();
	}

	@Test
	void aSidecarWhoseComponentsAreNotLoadedIsNotReadyAndOneThatIsIsReady() throws IOException {
		int[] status = { 500 };
		HttpServer sidecar = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		sidecar.createContext("/v1.0/healthz/outbound", (exchange) -> {
			exchange.sendResponseHeaders(status[0], -1);
			exchange.close();
		});
		sidecar.start();
		try {
			DaprSidecarHealthIndicator indicator = indicator(sidecar.getAddress().getPort());
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			indicator.bindTo(registry);
			assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
			assertThat(state(registry, "not_ready")).isEqualTo(1);

			status[0] = 204;
			assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
			assertThat(state(registry, "ready")).isEqualTo(1);
			assertThat(state(registry, "not_ready")).isZero();
		}
		finally {
			sidecar.stop(0);
		}
	}

	private static DaprSidecarHealthIndicator indicator(int port) {
		return new DaprSidecarHealthIndicator(new EventsProperties.Dapr(URI.create("http://127.0.0.1:" + port),
				"taskstream-pubsub", null, null, Duration.ofSeconds(1), null));
	}

	private static double state(SimpleMeterRegistry registry, String state) {
		return registry.get("taskstream.dapr.sidecar.state").tag("state", state).gauge().value();
	}

}
