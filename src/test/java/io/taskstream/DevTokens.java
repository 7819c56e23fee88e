package io.taskstream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Tokens from a role's built-in dev issuer ({@code POST /dev/token}), one per user, as a
 * person trying the local stack gets them with curl.
 */
public final class DevTokens implements Function<String, String> {

	private final HttpClient http = HttpClient.newHttpClient();

	private final String baseUrl;

	private final Map<String, String> tokens = new ConcurrentHashMap<>();

	public DevTokens(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	public static DevTokens onPort(int port) {
		return new DevTokens("http://127.0.0.1:" + port);
	}

	@Override
	public String apply(String user) {
		return this.tokens.computeIfAbsent(user, (key) -> mint("user=" + encode(user)));
	}

	/**
	 * Mints the tokens of many users at once, {@code inFlight} requests side by side (one
	 * after the other, 2,000 users took minutes on a busy machine); each is the same
	 * issuer's real token as {@link #apply(String)} gets, kept for it.
	 */
	public void mintAll(Collection<String> users, int inFlight) {
		Semaphore slots = new Semaphore(inFlight);
		List<CompletableFuture<Void>> minted = new ArrayList<>();
		try {
			for (String user : users) {
				if (this.tokens.containsKey(user)) {
					continue;
				}
				slots.acquire();
				minted.add(this.http.sendAsync(request("user=" + encode(user)), HttpResponse.BodyHandlers.ofString())
					.thenAccept((response) -> this.tokens.put(user, token(response)))
					.whenComplete((done, failure) -> slots.release()));
			}
			CompletableFuture.allOf(minted.toArray(CompletableFuture[]::new)).join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (CompletionException ex) {
			throw (ex.getCause() instanceof RuntimeException cause) ? cause : ex;
		}
	}

	/** A token that makes its holder an operator. */
	public String operator(String user) {
		return mint("user=" + encode(user) + "&scope=" + encode("taskstream.operator"));
	}

	private String mint(String form) {
		try {
			return token(this.http.send(request(form), HttpResponse.BodyHandlers.ofString()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private HttpRequest request(String form) {
		return HttpRequest.newBuilder(URI.create(this.baseUrl + "/dev/token"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build();
	}

	private static String token(HttpResponse<String> response) {
		if (response.statusCode() != 200) {
			throw new IllegalStateException("/dev/token answered " + response.statusCode() + ": " + response.body());
		}
		return Api.json.readTree(response.body()).get("access_token").asString();
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
