package io.taskstream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.function.Function;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP client for a running Taskstream role, as a user's program would call it:
 * each user with a bearer token of their own.
 */
public final class Api {

	public static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	private final String baseUrl;

	private final Function<String, String> tokens;

	/** A client whose users hold tokens of the integration tests' {@link TestIssuer}. */
	public Api(String baseUrl) {
		this(baseUrl, TestIssuer::token);
	}

	/**
	 * @param tokens the bearer token of a user (e.g. {@link DevTokens} for a local stack)
	 */
	public Api(String baseUrl, Function<String, String> tokens) {
		this.baseUrl = baseUrl;
		this.tokens = tokens;
	}

	public static Api onPort(int port) {
		return new Api("http://127.0.0.1:" + port);
	}

	public static Api onPort(int port, Function<String, String> tokens) {
		return new Api("http://127.0.0.1:" + port, tokens);
	}

	/**
	 * A user of one's own, so that tests sharing a database do not see each other's
	 * tasks.
	 */
	public static String newUser() {
		return "user-" + UUID.randomUUID().toString().substring(0, 8);
	}

	public Response get(String user, String path) {
		return send(request(user, path).GET());
	}

	public Response post(String user, String path, String body) {
		return send(request(user, path).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	public Response patch(String user, String path, String body) {
		return send(request(user, path).header("Content-Type", "application/merge-patch+json")
			.method("PATCH", HttpRequest.BodyPublishers.ofString(body)));
	}

	public Response delete(String user, String path) {
		return send(request(user, path).DELETE());
	}

	/** A call with the given bearer token (an operator's) instead of a user's. */
	public Response operator(String token, String path, String method) {
		return send(request(null, path).header("Authorization", "Bearer " + token)
			.method(method, HttpRequest.BodyPublishers.noBody()));
	}

	/** Creates a task and returns it. */
	public JsonNode createTask(String user, String title) {
		Response response = post(user, "/api/v1/tasks", "{\"title\":\"" + title + "\"}");
		if (response.status() != 201) {
			throw new AssertionError("creating a task answered " + response.status() + ": " + response.body());
		}
		return response.json();
	}

	/**
	 * A request as the user (a bearer token of theirs), or anonymous for {@code null}.
	 */
	public HttpRequest.Builder request(String user, String path) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(this.baseUrl + path));
		if (user != null) {
			builder.header("Authorization", "Bearer " + this.tokens.apply(user));
		}
		return builder;
	}

	public Response send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.body(),
					response.headers().firstValue("Content-Type").orElse(""), response);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public record Response(int status, String body, String contentType, HttpResponse<String> raw) {

		public JsonNode json() {
			return json.readTree(this.body);
		}

		public String header(String name) {
			return this.raw.headers().firstValue(name).orElse(null);
		}

	}

}
