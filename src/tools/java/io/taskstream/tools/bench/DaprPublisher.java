package io.taskstream.tools.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Publishes the real event through the benchmark's sidecar, one at a time or in bulk. */
final class DaprPublisher {

	private final HttpClient http;

	private final String payload;

	private final String base;

	DaprPublisher(HttpClient http, int daprHttpPort, String payload) {
		this.http = http;
		this.payload = payload;
		this.base = "http://127.0.0.1:" + daprHttpPort;
	}

	void publish(long i) throws IOException, InterruptedException {
		URI uri = URI.create(
				this.base + "/v1.0/publish/" + BenchStack.PUBSUB + "/bench.dapr?metadata.partitionKey=" + (i % 10_000));
		HttpResponse<Void> response = this.http.send(HttpRequest.newBuilder(uri)
			.header("Content-Type", "application/cloudevents+json")
			.header("traceparent", traceparent())
			.POST(HttpRequest.BodyPublishers.ofString(this.payload))
			.build(), HttpResponse.BodyHandlers.discarding());
		if (response.statusCode() / 100 != 2) {
			throw new IOException("publish answered " + response.statusCode());
		}
	}

	/**
	 * A few bulk request bodies of {@code size} entries each, with spread partition keys.
	 */
	List<String> bulkBodies(int size) {
		List<String> bodies = new ArrayList<>();
		for (int b = 0; b < 16; b++) {
			StringBuilder body = new StringBuilder("[");
			for (int e = 0; e < size; e++) {
				if (e > 0) {
					body.append(',');
				}
				body.append("{\"entryId\":\"")
					.append(e)
					.append("\",\"event\":")
					.append(this.payload)
					.append(",\"contentType\":\"application/cloudevents+json\",\"metadata\":{\"partitionKey\":\"")
					.append(b * size + e)
					.append("\"}}");
			}
			bodies.add(body.append(']').toString());
		}
		return bodies;
	}

	void bulk(String body) throws IOException, InterruptedException {
		URI uri = URI.create(this.base + "/v1.0-alpha1/publish/bulk/" + BenchStack.PUBSUB + "/bench.dapr");
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri)
			.header("Content-Type", "application/json")
			.header("traceparent", traceparent())
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() / 100 != 2) {
			throw new IOException("bulk publish answered " + response.statusCode() + ": " + response.body());
		}
	}

	/** Bulk publishes from {@code callers} callers; operations are events, not calls. */
	Measured bulk(List<String> bodies, int size, int callers, double seconds) throws InterruptedException {
		Measured calls = Loads.closedLoop(callers, seconds, (i) -> bulk(bodies.get((int) (i % bodies.size()))));
		return new Measured(calls.seconds(), calls.operations() * size, calls.failures() * size, calls.latency(), null);
	}

	private static String traceparent() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return "00-" + HexFormat.of().toHexDigits(random.nextLong()) + HexFormat.of().toHexDigits(random.nextLong())
				+ "-" + HexFormat.of().toHexDigits(random.nextLong()) + "-01";
	}

}
