package io.taskstream;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Server-Sent Events client reading on a background thread, as a browser would.
 */
public final class SseClient implements AutoCloseable {

	private final List<String> ids = new CopyOnWriteArrayList<>();

	private final List<JsonNode> data = new CopyOnWriteArrayList<>();

	private final AtomicInteger heartbeats = new AtomicInteger();

	private InputStream body;

	public static SseClient open(int port, String path, String user, String lastEventId)
			throws IOException, InterruptedException {
		SseClient client = new SseClient();
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Authorization", "Bearer " + TestIssuer.token(user))
			.header("Accept", "text/event-stream");
		if (lastEventId != null) {
			request.header("Last-Event-ID", lastEventId);
		}
		HttpResponse<InputStream> response = HttpClient.newHttpClient()
			.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.statusCode()).isEqualTo(200);
		client.body = response.body();
		BufferedReader lines = new BufferedReader(new InputStreamReader(client.body, StandardCharsets.UTF_8));
		CompletableFuture.runAsync(() -> lines.lines().forEach(client::read));
		return client;
	}

	private void read(String line) {
		if (line.startsWith("id:")) {
			this.ids.add(line.substring(3).strip());
		}
		else if (line.startsWith("data:")) {
			this.data.add(Api.json.readTree(line.substring(5)));
		}
		else if (line.startsWith(":")) {
			this.heartbeats.incrementAndGet();
		}
	}

	public List<String> ids() {
		return this.ids;
	}

	public List<JsonNode> data() {
		return this.data;
	}

	public int heartbeats() {
		return this.heartbeats.get();
	}

	@Override
	public void close() throws IOException {
		this.body.close();
	}

}
