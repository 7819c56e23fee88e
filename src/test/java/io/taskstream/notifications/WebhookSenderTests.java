package io.taskstream.notifications;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSenderTests {

	HttpServer receiver;

	final List<String> calls = new CopyOnWriteArrayList<>();

	@BeforeEach
	void startAReceiver() throws Exception {
		this.receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.receiver.createContext("/", (exchange) -> {
			this.calls
				.add(exchange.getRequestURI().getPath() + " Host=" + exchange.getRequestHeaders().getFirst("Host"));
			if (exchange.getRequestURI().getPath().equals("/moved")) {
				exchange.getResponseHeaders().set("Location", "/internal");
				exchange.sendResponseHeaders(307, -1);
			}
			else {
				exchange.sendResponseHeaders(204, -1);
			}
			exchange.close();
		});
		this.receiver.start();
	}

	@AfterEach
	void stopTheReceiver() {
		this.receiver.stop(0);
	}

	@Test
	void itConnectsToTheCheckedAddressAndKeepsTheHostName() throws Exception {
		int port = this.receiver.getAddress().getPort();
		// a name no DNS knows: only the address the check resolved can be reached
		WebhookTargets.Target target = new WebhookTargets.Target(null,
				URI.create("http://hooks.example.invalid:" + port + "/hook"), "hooks.example.invalid",
				new InetAddress[] { InetAddress.getLoopbackAddress() });

		int status = new WebhookSender(java.time.Duration.ofSeconds(5)).post(target, Map.of("X-Test", "1"), "{}");

		assertThat(status).isEqualTo(204);
		assertThat(this.calls).containsExactly("/hook Host=hooks.example.invalid:" + port);
	}

	@Test
	void aRedirectIsNotFollowed() throws Exception {
		int port = this.receiver.getAddress().getPort();
		WebhookTargets.Target target = new WebhookTargets.Target(null,
				URI.create("http://127.0.0.1:" + port + "/moved"), "127.0.0.1",
				new InetAddress[] { InetAddress.getLoopbackAddress() });

		int status = new WebhookSender(java.time.Duration.ofSeconds(5)).post(target, Map.of(), "{}");

		assertThat(status).isEqualTo(307);
		assertThat(this.calls).hasSize(1);
	}

}
