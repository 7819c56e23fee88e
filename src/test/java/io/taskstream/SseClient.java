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
import java.util.function.Function;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Server-Sent Events client reading on a background thread, as a browser would.
 */
public final class SseClient implements AutoCloseable {

	private final List<String> ids = new CopyOnWriteArrayList<>();

	private final List<JsonNode> data = new CopyOnWriteArrayList<>();

	private final AtomicInteger heartbeats = new AtomicInteger();

	/** When each data line arrived ({@link System#nanoTime()}). */
	private final List<Long> arrivals = new CopyOnWriteArrayList<>();

	private final List<String> comments = new CopyOnWriteArrayList<>();

	private volatile boolean ended;

	private InputStream body;

	public static SseClient open(int port, String path, String user, String lastEventId)
			throws IOException, InterruptedException {
		return open(port, path, user, lastEventId, TestIssuer::token);
	}

	/** As {@link #open(int, String, String, String)}, with tokens of another issuer. */
	public static SseClient open(int port, String path, String user, String lastEventId,
			Function<String, String> tokens) throws IOException, InterruptedException {
		SseClient client = new SseClient();
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Authorization", "Bearer " + tokens.apply(user))
			.header("Accept", "text/event-stream");
		if (lastEventId != null) {
			request.header("Last-Event-ID", lastEventId);
		}
		HttpResponse<InputStream> response = HttpClient.newHttpClient()
			.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.statusCode()).isEqualTo(200);
		client.body = response.body();
		BufferedReader lines = new BufferedReader(new InputStreamReader(client.body, StandardCharsets.UTF_8));
		CompletableFuture.runAsync(() -> {
			try {
				lines.lines().forEach(client::read);
			}
			finally {
				client.ended = true;
			}
		});
		return client;
	}

	private void read(String line) {
		if (line.startsWith("id:")) {
			this.ids.add(line.substring(3).strip());
		}
		else if (line.startsWith("data:")) {
			this.data.add(Api.json.readTree(line.substring(5)));
			this.arrivals.add(System.nanoTime());
		}
		else if (line.startsWith(":")) {
			this.heartbeats.incrementAndGet();
			this.comments.add(line.substring(1));
		}
	}

	public List<String> ids() {
		return this.ids;
	}

	public List<JsonNode> data() {
		return this.data;
	}

	public List<Long> arrivals() {
		return this.arrivals;
	}

	/** Heartbeats and the comment a server closes a stream with. */
	public List<String> comments() {
		return this.comments;
	}

	/** Whether the server ended the stream (or it was closed). */
	public boolean ended() {
		return this.ended;
	}

	public int heartbeats() {
		return this.heartbeats.get();
	}

	@Override
	public void close() throws IOException {
		this.body.close();
	}

}
