package io.taskstream.tools.bench;

import io.taskstream.DevTokens;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Creates tasks through the tasks role's API, as 50 users of this run. */
final class TaskWriter {

	/** With it, a task.created CloudEvent is about 900 bytes, as real tasks' are. */
	private static final String DESCRIPTION = "Collect the numbers from every team, check them against last quarter, "
			+ "write the summary for the board and send the draft to finance before Friday.";

	private final HttpClient http;

	private final URI tasks;

	private final String runId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);

	private final AtomicLong taskCounter = new AtomicLong();

	/**
	 * The bench users' tokens, from the tasks role's dev issuer, minted once per user.
	 */
	private final DevTokens tokens;

	TaskWriter(HttpClient http, int tasksPort) {
		this.http = http;
		this.tasks = URI.create("http://127.0.0.1:" + tasksPort + "/api/v1/tasks");
		this.tokens = DevTokens.onPort(tasksPort);
	}

	void write(long i) throws IOException, InterruptedException {
		String body = """
				{"title":"Benchmark task %d","description":"%s","priority":"HIGH","tags":["bench","load"]}"""
			.formatted(this.taskCounter.incrementAndGet(), DESCRIPTION);
		HttpResponse<Void> response = this.http.send(HttpRequest.newBuilder(this.tasks)
			.header("Content-Type", "application/json")
			.header("Authorization", "Bearer " + this.tokens.apply("bench-" + this.runId + "-" + (i % 50)))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.discarding());
		if (response.statusCode() != 201) {
			throw new IOException("creating a task answered " + response.statusCode());
		}
	}

}
