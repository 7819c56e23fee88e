package io.taskstream.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.taskstream.Api;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import static io.taskstream.e2e.E2EStack.*;
import static io.taskstream.e2e.PipelineChecks.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Through the real stack ({@link E2EStack}): one Zipkin trace from an API request to
 * every subscriber, and the Dapr endpoints' and sidecars' access rules.
 */
@ExtendWith(E2EStack.class)
@Order(3)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TracingAndAccessE2ETests {

	@BeforeAll
	static void analyticsRuns() {
		withAnalytics();
	}

	/**
	 * One Zipkin trace from the API request to every subscriber: the tasks app's server
	 * span, its sidecar's publish span as its child, and for each subscriber its
	 * sidecar's delivery span (child of the publish), its own handler span (child of
	 * that) and the handler's database work (connection and query spans, its children).
	 * With bulk delivery on ({@code taskstream.events.dapr.bulk.enabled}), the handler
	 * span is a child of the publish instead ({@link #assertBatchHandlerSpans}).
	 */
	@Test
	@Order(5)
	void oneTraceGoesFromTheRequestThroughEverySidecarToEverySubscriber() {
		String user = Api.newUser();
		long id = traced(user, "POST", "/api/v1/tasks", "{\"title\":\"traced\"}", "task.created").get("id").asLong();
		traced(user, "PATCH", "/api/v1/tasks/" + id, "{\"title\":\"traced again\"}", "task.updated");
		traced(user, "POST", "/api/v1/tasks/" + id + "/complete", "", "task.completed");
	}

	@Test
	@Order(6)
	void daprEndpointsRejectCallsWithoutTheAppToken() {
		Api auditApi = Api.onPort(ports.of("audit").app());
		Api.Response response = auditApi.post(null, "/dapr/events/audit/task.created", "{}");
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.contentType()).startsWith("application/problem+json");
		Api.Response subscribe = auditApi
			.send(auditApi.request(null, "/dapr/subscribe").header("dapr-api-token", APP_TOKEN));
		assertThat(subscribe.status()).isEqualTo(200);
		assertThat(subscribe.json()).extracting((s) -> s.get("topic").asString())
			.containsExactlyInAnyOrder("task.created", "task.updated", "task.deleted", "task.completed",
					"task.deadletter", "task.replay");
		assertThat(subscribe.json()).filteredOn((s) -> !s.get("topic").asString().equals("task.deadletter"))
			.allSatisfy((s) -> assertThat(s.get("deadLetterTopic").asString()).isEqualTo("task.deadletter"));
	}

	@Test
	@Order(6)
	void onlyTheTasksRoleMayPublishTaskEvents() {
		Api analyticsSidecar = Api.onPort(ports.of("analytics").daprHttp());
		Api.Response refused = analyticsSidecar
			.send(analyticsSidecar.request(null, "/v1.0/publish/taskstream-pubsub/task.created")
				.header("dapr-api-token", DAPR_TOKEN)
				.header("Content-Type", "application/json")
				.POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")));
		assertThat(refused.status()).as(refused.body()).isEqualTo(403);
		Api.Response withoutToken = analyticsSidecar.post(null, "/v1.0/publish/taskstream-pubsub/task.deadletter",
				"{}");
		assertThat(withoutToken.status()).as("the sidecar's API needs DAPR_API_TOKEN").isEqualTo(401);
	}

	/** Sends one request in a trace of its own and checks that trace in Zipkin. */
	private JsonNode traced(String user, String method, String path, String body, String topic) {
		String traceId = UUID.randomUUID().toString().replace("-", "");
		String callerSpan = traceId.substring(0, 16);
		Api.Response response = tasks.send(tasks.request(user, path)
			.header("Content-Type", method.equals("PATCH") ? "application/merge-patch+json" : "application/json")
			.header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
			.method(method, java.net.http.HttpRequest.BodyPublishers.ofString(body)));
		assertThat(response.status()).as(response.body()).isBetween(200, 201);
		Api zipkin = new Api("http://127.0.0.1:" + ports.zipkin());
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
			List<JsonNode> spans = new ArrayList<>();
			Api.Response trace = zipkin.get(null, "/api/v2/trace/" + traceId);
			assertThat(trace.status()).as("trace %s", traceId).isEqualTo(200);
			trace.json().forEach(spans::add);
			// one service name per role: the app and its sidecar both report as the role
			JsonNode api = span(spans, "tasks", "SERVER", callerSpan);
			// the sidecar's publish, not one of the app's own queries, also CLIENT spans
			// of
			// "tasks" under the request
			JsonNode publish = spans.stream()
				.filter((span) -> span.at("/localEndpoint/serviceName").asString().equals("tasks")
						&& span.path("kind").asString().equals("CLIENT")
						&& span.path("parentId").asString().equals(api.get("id").asString())
						&& span.path("name").asString().contains(topic))
				.findFirst()
				.orElseThrow(() -> new AssertionError("no publish span of tasks for " + topic + " under the request"));
			for (String role : List.of("analytics", "notifications", "audit")) {
				JsonNode delivery = span(spans, role, "CLIENT", publish.get("id").asString());
				if (deliversInBatches(role)) {
					assertBatchHandlerSpans(zipkin, spans, role, topic, publish, delivery);
					continue;
				}
				JsonNode handler = span(spans, role, "SERVER", delivery.get("id").asString());
				// the span is named by the route's template; its URL tag has the role and
				// topic
				assertThat(handler.get("name").asString()).contains("/dapr/events/");
				assertThat(handler.path("tags").toString()).contains("/dapr/events/" + role + "/" + topic);
				assertThat(spans.stream()
					.filter((span) -> span.path("parentId").asString().equals(handler.get("id").asString()))
					.map((span) -> span.path("name").asString())).as("database work of %s's handler", role)
					.contains("connection", "query");
			}
		});
		return response.json();
	}

	/**
	 * Delivered in a batch: the handler's span continues the event's own trace (the
	 * CloudEvent's traceparent, the publish span), beside the sidecar's delivery span,
	 * and parents the handler's queries; it names the batch's route and server span in
	 * tags, and that server span holds the batch's one database connection.
	 */
	private static void assertBatchHandlerSpans(Api zipkin, List<JsonNode> spans, String role, String topic,
			JsonNode publish, JsonNode delivery) {
		JsonNode handler = span(spans, role, "CONSUMER", publish.get("id").asString());
		assertThat(handler.get("name").asString()).contains(topic);
		assertThat(handler.path("tags").path("route").asString())
			.isEqualTo("/dapr/events/" + role + "/" + topic + "/bulk");
		assertThat(handler.path("timestamp").asLong()).as("handled after the sidecar took the batch")
			.isGreaterThanOrEqualTo(delivery.path("timestamp").asLong());
		assertThat(spans.stream()
			.filter((span) -> span.path("parentId").asString().equals(handler.get("id").asString()))
			.map((span) -> span.path("name").asString())).as("database work of %s's handler", role).contains("query");
		String batchTrace = handler.path("tags").path("delivery.trace_id").asString();
		String batchSpan = handler.path("tags").path("delivery.span_id").asString();
		List<JsonNode> batchSpans = new ArrayList<>();
		zipkin.get(null, "/api/v2/trace/" + batchTrace).json().forEach(batchSpans::add);
		JsonNode server = batchSpans.stream()
			.filter((span) -> span.path("id").asString().equals(batchSpan))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no span " + batchSpan + " of " + role + "'s batch"));
		assertThat(server.path("kind").asString()).isEqualTo("SERVER");
		assertThat(server.at("/localEndpoint/serviceName").asString()).isEqualTo(role);
		assertThat(server.get("name").asString()).contains("/dapr/events/").contains("/bulk");
		assertThat(batchSpans.stream()
			.filter((span) -> span.path("parentId").asString().equals(batchSpan))
			.map((span) -> span.path("name").asString())).as("%s's batch's database connection", role)
			.contains("connection");
	}

	/** The span of a service and kind whose parent is the given span. */
	private static JsonNode span(List<JsonNode> spans, String service, String kind, String parentId) {
		return spans.stream()
			.filter((span) -> span.at("/localEndpoint/serviceName").asString().equals(service)
					&& span.path("kind").asString().equals(kind) && span.path("parentId").asString().equals(parentId))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + kind + " span of " + service + " with parent " + parentId
					+ " among " + spans.size() + " spans"));
	}

}
