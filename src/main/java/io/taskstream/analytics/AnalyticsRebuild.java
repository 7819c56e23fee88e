package io.taskstream.analytics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.taskstream.events.CloudEvents;
import io.taskstream.events.EventsProperties;
import io.taskstream.events.PoisonEventException;
import io.taskstream.events.TaskEvent;
import io.taskstream.platform.ConditionalOnRole;
import io.taskstream.platform.OperatorOnly;
import io.taskstream.platform.Problems;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/analytics/rebuild}: recomputes the projection from the audit role's
 * whole history, without ever serving a partial one. The history is read page by page
 * ({@code GET /api/v1/replay/history}, through Dapr service invocation in Dapr mode and
 * through this server in the one-JVM mode) into tables beside the served ones, and
 * switched in, in one transaction, only once the last page is in. A rebuild that fails or
 * is interrupted leaves the served numbers as they were; a second rebuild while one runs
 * gets 409. The numbers come back identical, since they are computed from events only.
 * <p>
 * What it cannot recover: an event analytics applied that audit has not stored by the
 * time of the switch (audit lagging behind analytics) is not in the rebuilt numbers.
 */
@RestController
@ConditionalOnRole("analytics")
class AnalyticsRebuild {

	private static final Log log = LogFactory.getLog(AnalyticsRebuild.class);

	/**
	 * A rebuild still unfinished after this long is taken for dead (its process died).
	 */
	static final Duration STALE_AFTER = Duration.ofHours(1);

	private static final int PAGE = 500;

	private final Rebuilds rebuilds;

	private final EventsProperties events;

	private final Environment environment;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	AnalyticsRebuild(Rebuilds rebuilds, EventsProperties events, Environment environment) {
		this.rebuilds = rebuilds;
		this.events = events;
		this.environment = environment;
	}

	@PostMapping(path = "/api/v1/analytics/rebuild",
			produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE })
	@OperatorOnly
	Map<String, Object> rebuild(@RequestHeader("Authorization") String authorization) {
		Long id = this.rebuilds.start(STALE_AFTER);
		if (id == null) {
			throw Problems.conflict("A rebuild is already running; the served numbers stay until it switches.");
		}
		boolean switched = false;
		try {
			long[] cursor = { 0 };
			long[] replayed = { 0 };
			// the bulk of the history, outside any lock
			catchUp(authorization, cursor, replayed);
			// the tail that arrived meanwhile, with live deliveries held back
			this.rebuilds.switchIn(id, replayed[0], () -> catchUp(authorization, cursor, replayed));
			switched = true;
			return Map.of("switched", true, "replayed", replayed[0]);
		}
		finally {
			if (!switched) {
				this.rebuilds.fail(id);
				log.warn("Analytics rebuild " + id + " failed; the served projection is unchanged");
			}
		}
	}

	/**
	 * Applies the history after {@code cursor[0]} to the tables beside the served ones.
	 */
	private void catchUp(String authorization, long[] cursor, long[] replayed) {
		while (true) {
			JsonNode page = historyPage(authorization, cursor[0]);
			List<TaskEvent> events = new ArrayList<>();
			for (JsonNode envelope : page.path("items")) {
				try {
					events.add(CloudEvents
						.read(CloudEvents.replay(envelope.toString(), "analytics").getBytes(StandardCharsets.UTF_8)));
				}
				catch (PoisonEventException | JacksonException ex) {
					throw Problems.upstreamFailure("The audit role's history holds an event that cannot be read: "
							+ ex.getMessage() + "; the served numbers are unchanged.");
				}
			}
			this.rebuilds.apply(events);
			replayed[0] += events.size();
			cursor[0] = Long.parseLong(page.path("nextCursor").asString("0"));
			if (!page.path("hasMore").asBoolean()) {
				return;
			}
		}
	}

	private JsonNode historyPage(String authorization, long after) {
		HttpRequest.Builder request = HttpRequest.newBuilder(historyUri(after))
			.timeout(Duration.ofSeconds(30))
			.header("Accept", "application/json")
			// The operator's own bearer token goes along (Dapr service invocation passes
			// it
			// through), and audit checks it as it checks any caller: the rebuild can do
			// nothing its operator could not do directly, and audit's history keeps one
			// way
			// in, instead of a second, internal route trusted on the sidecar's app token.
			.header("Authorization", authorization)
			.GET();
		String token = this.events.dapr().apiToken();
		if (this.events.transport() == EventsProperties.Transport.DAPR && token != null && !token.isBlank()) {
			request.header("dapr-api-token", token);
		}
		try {
			HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw Problems.upstreamFailure("The audit role's history answered " + response.statusCode()
						+ "; the served numbers are unchanged.");
			}
			return CloudEvents.tree(response.body());
		}
		catch (IOException | JacksonException ex) {
			throw Problems.upstreamFailure("The audit role's history could not be read (" + ex.getMessage()
					+ "); the served numbers are unchanged.");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw Problems.upstreamFailure("The rebuild was interrupted; the served numbers are unchanged.");
		}
	}

	private URI historyUri(long after) {
		String path = "/api/v1/replay/history?limit=" + PAGE + "&after=" + after;
		if (this.events.transport() == EventsProperties.Transport.DAPR) {
			return this.events.dapr().httpEndpoint().resolve("/v1.0/invoke/audit/method" + path);
		}
		return URI.create("http://127.0.0.1:" + this.environment.getProperty("local.server.port") + path);
	}

}
