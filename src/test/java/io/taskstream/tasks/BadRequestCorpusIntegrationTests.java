package io.taskstream.tasks;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.taskstream.Api;
import io.taskstream.IntegrationTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A corpus of bad requests: each gets the right status and an RFC 9457 problem with a
 * stable type, and none of them writes a task or an event.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadRequestCorpusIntegrationTests {

	static final String USER = "corpus-user";

	static final String JSON = "application/json";

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	Api api;

	long taskId;

	@BeforeAll
	void createTheTaskThatRequestsTarget() {
		this.api = Api.onPort(this.port);
		this.taskId = this.api.createTask(USER, "target").get("id").asLong();
		// The target's own task.created is still on its way to audit; counting starts
		// once it is stored, so only what a bad request writes can change the counts.
		await().until(() -> count("audit.events WHERE user_id = ?"), (stored) -> stored == 1);
	}

	record BadRequest(String name, String method, String path, String user, String contentType, String body,
			List<String> headers, int status, String type) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	static Stream<BadRequest> corpus() {
		List<BadRequest> corpus = new ArrayList<>();
		String tasks = "/api/v1/tasks";
		String task = "/api/v1/tasks/{id}";
		String longTitle = "t".repeat(201);
		String big = "{\"title\":\"x\",\"description\":\"" + "d".repeat(70 * 1024) + "\"}";
		corpus.add(bad("malformed JSON", "POST", tasks, JSON, "{\"title\":", 400, "malformed-request"));
		corpus.add(bad("JSON array body", "POST", tasks, JSON, "[1,2]", 400, "invalid-request"));
		corpus.add(bad("JSON string body", "POST", tasks, JSON, "\"title\"", 400, "invalid-request"));
		corpus.add(bad("empty body", "POST", tasks, JSON, "", 400, "malformed-request"));
		corpus.add(bad("missing title", "POST", tasks, JSON, "{\"description\":\"x\"}", 400, "invalid-request"));
		corpus.add(bad("blank title", "POST", tasks, JSON, "{\"title\":\"   \"}", 400, "invalid-request"));
		corpus.add(bad("null title", "POST", tasks, JSON, "{\"title\":null}", 400, "invalid-request"));
		corpus.add(bad("numeric title", "POST", tasks, JSON, "{\"title\":42}", 400, "invalid-request"));
		corpus.add(bad("title too long", "POST", tasks, JSON, "{\"title\":\"" + longTitle + "\"}", 400,
				"invalid-request"));
		corpus.add(bad("description too long", "POST", tasks, JSON,
				"{\"title\":\"x\",\"description\":\"" + "d".repeat(10_001) + "\"}", 400, "invalid-request"));
		corpus.add(bad("unknown priority", "POST", tasks, JSON, "{\"title\":\"x\",\"priority\":\"URGENT\"}", 400,
				"invalid-request"));
		corpus.add(bad("lower-case priority", "POST", tasks, JSON, "{\"title\":\"x\",\"priority\":\"high\"}", 400,
				"invalid-request"));
		corpus.add(bad("status on create", "POST", tasks, JSON, "{\"title\":\"x\",\"status\":\"COMPLETED\"}", 400,
				"invalid-request"));
		corpus.add(bad("unknown field", "POST", tasks, JSON, "{\"title\":\"x\",\"colour\":\"red\"}", 400,
				"invalid-request"));
		corpus.add(bad("dueDate not a date", "POST", tasks, JSON, "{\"title\":\"x\",\"dueDate\":\"tomorrow\"}", 400,
				"invalid-request"));
		corpus.add(bad("dueDate without offset", "POST", tasks, JSON,
				"{\"title\":\"x\",\"dueDate\":\"2026-12-01T10:00:00\"}", 400, "invalid-request"));
		corpus.add(bad("tags not an array", "POST", tasks, JSON, "{\"title\":\"x\",\"tags\":\"home\"}", 400,
				"invalid-request"));
		corpus.add(bad("too many tags", "POST", tasks, JSON,
				"{\"title\":\"x\",\"tags\":[" + String.join(",", java.util.Collections.nCopies(21, "\"t\"")) + "]}",
				400, "invalid-request"));
		corpus.add(bad("tag too long", "POST", tasks, JSON, "{\"title\":\"x\",\"tags\":[\"" + "t".repeat(51) + "\"]}",
				400, "invalid-request"));
		corpus.add(bad("numeric tag", "POST", tasks, JSON, "{\"title\":\"x\",\"tags\":[1]}", 400, "invalid-request"));
		corpus.add(bad("body over 64 KiB", "POST", tasks, JSON, big, 413, "payload-too-large"));
		corpus.add(bad("text/plain body", "POST", tasks, "text/plain", "{\"title\":\"x\"}", 415,
				"unsupported-media-type"));
		corpus.add(bad("XML body", "POST", tasks, "application/xml", "<task/>", 415, "unsupported-media-type"));
		corpus.add(new BadRequest("missing identity", "POST", tasks, null, JSON, "{\"title\":\"x\"}", List.of(), 401,
				"unauthenticated"));
		// a token whose user claim is not a user id is not a valid token
		// (TokenCorpusIntegrationTests)
		corpus.add(new BadRequest("malformed identity", "POST", tasks, "bad user!", JSON, "{\"title\":\"x\"}",
				List.of(), 401, "unauthenticated"));
		corpus.add(new BadRequest("identity too long", "POST", tasks, "u".repeat(65), JSON, "{\"title\":\"x\"}",
				List.of(), 401, "unauthenticated"));
		corpus.add(bad("unknown client source", "POST", tasks, JSON, "{\"title\":\"x\"}", 400, "invalid-request",
				"X-Client-Source", "fax"));
		corpus.add(bad("patch with null title", "PATCH", task, JSON, "{\"title\":null}", 400, "invalid-request"));
		corpus.add(
				bad("patch with unknown status", "PATCH", task, JSON, "{\"status\":\"DONE\"}", 400, "invalid-request"));
		corpus.add(bad("patch with read-only field", "PATCH", task, JSON, "{\"version\":9}", 400, "invalid-request"));
		corpus.add(bad("patch with stale If-Match", "PATCH", task, JSON, "{\"title\":\"y\"}", 412, "version-mismatch",
				"If-Match", "\"99\""));
		corpus.add(bad("patch with malformed If-Match", "PATCH", task, JSON, "{\"title\":\"y\"}", 400,
				"invalid-request", "If-Match", "version-1"));
		corpus.add(bad("patch unknown task", "PATCH", "/api/v1/tasks/999999999", JSON, "{\"title\":\"y\"}", 404,
				"not-found"));
		corpus.add(bad("patch non-numeric id", "PATCH", "/api/v1/tasks/abc", JSON, "{\"title\":\"y\"}", 400,
				"malformed-request"));
		corpus.add(bad("patch with text/plain", "PATCH", task, "text/plain", "{\"title\":\"y\"}", 415,
				"unsupported-media-type"));
		corpus
			.add(bad("complete unknown task", "POST", "/api/v1/tasks/999999999/complete", JSON, "", 404, "not-found"));
		corpus.add(bad("complete with stale If-Match", "POST", task + "/complete", JSON, "", 412, "version-mismatch",
				"If-Match", "\"7\""));
		corpus.add(bad("delete unknown task", "DELETE", "/api/v1/tasks/999999999", null, null, 404, "not-found"));
		corpus.add(bad("delete with stale If-Match", "DELETE", task, null, null, 412, "version-mismatch", "If-Match",
				"\"5\""));
		corpus.add(bad("get unknown task", "GET", "/api/v1/tasks/999999999", null, null, 404, "not-found"));
		corpus.add(bad("list with unknown status", "GET", "/api/v1/tasks?status=DONE", null, null, 400,
				"invalid-request"));
		corpus.add(bad("list with negative page", "GET", "/api/v1/tasks?page=-1", null, null, 400, "invalid-request"));
		corpus.add(bad("list with huge size", "GET", "/api/v1/tasks?size=1000", null, null, 400, "invalid-request"));
		corpus.add(
				bad("list with non-numeric size", "GET", "/api/v1/tasks?size=ten", null, null, 400, "invalid-request"));
		corpus.add(bad("PUT is not supported", "PUT", task, JSON, "{\"title\":\"y\"}", 405, "method-not-allowed"));
		corpus
			.add(bad("events with bad cursor", "GET", "/api/v1/events?after=abc", null, null, 400, "invalid-request"));
		corpus.add(bad("events with limit over 500", "GET", "/api/v1/events?limit=501", null, null, 400,
				"invalid-request"));
		corpus.add(bad("events with unknown type", "GET", "/api/v1/events?type=renamed", null, null, 400,
				"invalid-request"));
		corpus.add(bad("events of another user", "GET", "/api/v1/events?userId=someone-else", null, null, 403,
				"forbidden"));
		return corpus.stream();
	}

	static BadRequest bad(String name, String method, String path, String contentType, String body, int status,
			String type, String... headers) {
		return new BadRequest(name, method, path, USER, contentType, body, List.of(headers), status, type);
	}

	@Test
	void theCorpusIsLargeEnough() {
		assertThat(corpus().count()).isGreaterThanOrEqualTo(30);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("corpus")
	void aBadRequestGetsAProblemAndWritesNothing(BadRequest request) {
		long[] before = counts();
		HttpRequest.Builder builder = this.api.request(request.user(),
				request.path().replace("{id}", Long.toString(this.taskId)));
		if (request.contentType() != null) {
			builder.header("Content-Type", request.contentType());
		}
		for (int i = 0; i < request.headers().size(); i += 2) {
			builder.header(request.headers().get(i), request.headers().get(i + 1));
		}
		builder.method(request.method(), (request.body() != null) ? HttpRequest.BodyPublishers.ofString(request.body())
				: HttpRequest.BodyPublishers.noBody());

		Api.Response response = this.api.send(builder);

		assertThat(response.status()).as(response.body()).isEqualTo(request.status());
		assertThat(response.contentType()).startsWith("application/problem+json");
		JsonNode problem = response.json();
		assertThat(problem.get("type").asString()).isEqualTo("https://taskstream.io/problems/" + request.type());
		assertThat(problem.get("status").asInt()).isEqualTo(request.status());
		assertThat(problem.get("title").asString()).isNotBlank();
		assertThat(problem.get("detail").asString()).isNotBlank();
		assertThat(problem.get("instance").asString()).startsWith("/api/v1/");
		if (request.type().equals("invalid-request")) {
			assertThat(problem.get("errors")).isNotEmpty();
			assertThat(problem.get("errors")).allSatisfy((error) -> {
				assertThat(error.get("field").asString()).isNotBlank();
				assertThat(error.get("message").asString()).isNotBlank();
			});
		}
		assertThat(counts()).as("tasks, outbox rows, stored events").containsExactly(before);
	}

	/**
	 * This user's tasks, outbox rows and stored events (other test classes share the
	 * database, and their events may still be arriving).
	 */
	private long[] counts() {
		return new long[] { count("tasks.tasks WHERE user_id = ?"),
				count("tasks.outbox o JOIN tasks.tasks t ON t.id = o.task_id WHERE t.user_id = ?"),
				count("audit.events WHERE user_id = ?") };
	}

	private long count(String rowsOfTheUser) {
		return this.jdbc.sql("SELECT count(*) FROM " + rowsOfTheUser).param(USER).query(Long.class).single();
	}

}
