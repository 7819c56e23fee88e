package io.taskstream.analytics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import io.taskstream.events.EventsProperties;
import io.taskstream.platform.ConditionalOnRole;
import io.taskstream.platform.OperatorOnly;
import io.taskstream.platform.Problems;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/analytics/rebuild}: wipes the projection and has the audit role
 * replay its whole history to analytics. The numbers come back identical, since they are
 * computed from events only and each event is applied once. The audit role is reached
 * through Dapr service invocation in Dapr mode, and through this server in the one-JVM
 * mode.
 */
@RestController
@ConditionalOnRole("analytics")
class AnalyticsRebuild {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final EventsProperties events;

	private final Environment environment;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	AnalyticsRebuild(JdbcClient jdbc, TransactionTemplate transaction, EventsProperties events,
			Environment environment) {
		this.jdbc = jdbc;
		this.transaction = transaction;
		this.events = events;
		this.environment = environment;
	}

	@PostMapping(path = "/api/v1/analytics/rebuild",
			produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE })
	@OperatorOnly
	Map<String, Object> rebuild(@RequestHeader("Authorization") String authorization) {
		this.transaction.executeWithoutResult((status) -> {
			this.jdbc.sql("""
					TRUNCATE analytics.daily_counts, analytics.hourly_counts,
					         analytics.completion_durations, analytics.task_sequences, analytics.processed_events
					""").update();
			// Parked events stay: one may be missing from audit's history too (it arrived
			// before its predecessor there as well), so the replay would not bring it
			// back. They keep waiting for their predecessors, which the replay delivers.
		});
		HttpRequest.Builder request = HttpRequest.newBuilder(replayUri())
			.timeout(Duration.ofMinutes(5))
			.header("Content-Type", "application/json")
			// The operator's own bearer token goes along (Dapr service invocation passes
			// it
			// through), and audit checks it as it checks any caller: the rebuild can do
			// nothing its operator could not do directly, and replay keeps one way in,
			// instead of a second, internal route trusted on the sidecar's app token
			// alone.
			.header("Authorization", authorization)
			.POST(HttpRequest.BodyPublishers.ofString("{\"target\":\"analytics\"}"));
		String token = this.events.dapr().apiToken();
		if (this.events.transport() == EventsProperties.Transport.DAPR && token != null && !token.isBlank()) {
			request.header("dapr-api-token", token);
		}
		try {
			HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw Problems.upstreamFailure(
						"The audit role's replay answered " + response.statusCode() + ": " + response.body());
			}
			JsonNode replay = json.readTree(response.body());
			return Map.of("wiped", true, "replayed", replay.path("replayed").asLong());
		}
		catch (IOException ex) {
			throw Problems.upstreamFailure("The audit role's replay could not be reached: " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private URI replayUri() {
		if (this.events.transport() == EventsProperties.Transport.DAPR) {
			return this.events.dapr().httpEndpoint().resolve("/v1.0/invoke/audit/method/api/v1/replay");
		}
		return URI.create("http://127.0.0.1:" + this.environment.getProperty("local.server.port") + "/api/v1/replay");
	}

}
