package io.taskstream.e2e;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.taskstream.Api;
import io.taskstream.Commands;
import io.taskstream.tools.stack.Attachment;
import io.taskstream.tools.stack.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import static io.taskstream.e2e.E2EStack.audit;
import static io.taskstream.e2e.E2EStack.stack;
import static io.taskstream.e2e.E2EStack.tasks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The example subscribers a team would copy ({@code examples/python-subscriber},
 * {@code examples/go-subscriber}) run as real processes, each behind its own daprd that
 * {@code scripts/stack attach}'s code starts ({@link LocalStack#attach}), against the
 * shared stack ({@link E2EStack}). A scripted set of task changes reaches each of them
 * exactly once and in order per task, and an attached app's sidecar may not publish a
 * task event. Python and Go are required: without them the class fails and says so.
 *
 * <p>
 * Last in the order: a new consumer group starts at the oldest offset, so the examples
 * also receive every earlier class's events (the assertions look at this class's tasks),
 * and what they drop of those reaches the dead letters after the other classes checked
 * theirs.
 */
@ExtendWith(E2EStack.class)
@Order(7)
class AttachedSubscribersE2ETests {

	/** The examples' own ports: the tests' plan (18080-18083 apps) leaves these free. */
	static final int PYTHON_PORT = 18600;

	static final int GO_PORT = 18601;

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private static final Map<String, LocalStack.AttachedApp> attached = new LinkedHashMap<>();

	private static final List<Process> apps = new ArrayList<>();

	@BeforeAll
	static void attachAndStartTheExamples() throws IOException {
		Path python = Commands.installedPaths("scripts/install-contract-tools").get("python");
		Path goBinary = buildTheGoExample();
		start("python-subscriber", PYTHON_PORT, List.of(python.toString(),
				Path.of("examples/python-subscriber/subscriber.py").toAbsolutePath().toString()));
		start("go-subscriber", GO_PORT, List.of(goBinary.toString()));
	}

	@AfterAll
	static void stopThem() {
		for (Process app : apps) {
			app.destroy();
		}
		for (Process app : apps) {
			try {
				if (!app.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
					app.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		attached.keySet().forEach(stack::detach);
	}

	@Test
	void eachExampleReceivesEveryEventOfTheScriptOnceAndInOrderPerTask() {
		String alice = Api.newUser();
		String bob = Api.newUser();
		long first = create(alice, "first");
		long second = create(alice, "second");
		long third = create(bob, "third");
		patch(alice, first, "{\"title\":\"first, renamed\",\"priority\":\"HIGH\"}");
		complete(alice, first);
		patch(alice, first, "{\"status\":\"OPEN\"}");
		patch(bob, third, "{\"tags\":[\"polyglot\"]}");
		complete(alice, second);
		complete(alice, first);
		assertThat(tasks.delete(alice, "/api/v1/tasks/" + second).status()).isEqualTo(204);
		complete(bob, third);
		patch(bob, third, "{\"status\":\"OPEN\",\"description\":\"again\"}");
		assertThat(tasks.delete(bob, "/api/v1/tasks/" + third).status()).isEqualTo(204);
		long fourth = create(bob, "fourth");

		// what the script made, as the audit role stored it: 14 events over four tasks
		List<JsonNode> expected = new ArrayList<>(audit.awaitExactly(alice, 8));
		expected.addAll(audit.awaitExactly(bob, 6));
		Map<Long, List<String>> expectedByTask = byTask(expected, (event) -> event.get("eventId").asString());
		assertThat(expectedByTask.keySet()).containsExactlyInAnyOrder(first, second, third, fourth);
		assertThat(expectedByTask.get(first)).hasSize(5);

		for (Map.Entry<String, LocalStack.AttachedApp> app : attached.entrySet()) {
			await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
				List<JsonNode> ours = received(app.getValue(), expectedByTask.keySet());
				assertThat(ours).as(app.getKey() + " received").hasSizeGreaterThanOrEqualTo(expected.size());
			});
			List<JsonNode> ours = received(app.getValue(), expectedByTask.keySet());
			// every event once: no duplicate and none missing, in sequence order per task
			assertThat(ours).as(app.getKey()).hasSize(expected.size());
			assertThat(byTask(ours, (event) -> event.get("eventId").asString())).as(app.getKey())
				.isEqualTo(expectedByTask);
			assertThat(byTask(ours, (event) -> event.get("sequence").asString())).as(app.getKey())
				.allSatisfy((task, sequences) -> assertThat(sequences)
					.isEqualTo(java.util.stream.IntStream.rangeClosed(1, sequences.size())
						.mapToObj(Integer::toString)
						.toList()));
			assertThat(byTask(ours, (event) -> event.get("eventType").asString()).get(first)).containsExactly("created",
					"updated", "completed", "updated", "completed");
		}
	}

	@Test
	void anAttachedAppsSidecarMayNotPublishATaskEvent() {
		for (LocalStack.AttachedApp app : attached.values()) {
			HttpResponse<String> refused = publish(app, "task.created");
			assertThat(refused.statusCode()).as(app.appId() + ": " + refused.body()).isEqualTo(403);
			assertThat(Api.json.readTree(refused.body()).path("errorCode").asString())
				.isEqualTo("ERR_PUBSUB_FORBIDDEN");
			// its sidecar took the component and the app's four subscriptions, each with
			// the dead-letter topic: the refusal is the publishing scope, not a missing
			// component
			JsonNode metadata = Api.json.readTree(sidecar(app, "GET", "/v1.0/metadata", null).body());
			assertThat(metadata.path("components").toString()).contains("taskstream-pubsub");
			List<String> deadLetters = new ArrayList<>();
			metadata.path("subscriptions").forEach((s) -> deadLetters.add(s.path("deadLetterTopic").asString()));
			assertThat(deadLetters).hasSize(4).containsOnly("task.deadletter");
		}
	}

	private static HttpResponse<String> publish(LocalStack.AttachedApp app, String topic) {
		return sidecar(app, "POST", "/v1.0/publish/" + Attachment.PUBSUB + "/" + topic,
				"{\"eventId\":\"00000000-0000-4000-8000-000000000000\"}");
	}

	private static HttpResponse<String> sidecar(LocalStack.AttachedApp app, String method, String path, String body) {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + app.environment().get("DAPR_HTTP_PORT") + path))
			.header("dapr-api-token", app.environment().get("DAPR_API_TOKEN"))
			.header("Content-Type", "application/json")
			.method(method,
					(body == null) ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
			.build();
		return send(request);
	}

	/** What the example applied of these tasks, in the order it applied them. */
	private static List<JsonNode> received(LocalStack.AttachedApp app, Set<Long> taskIds) {
		HttpResponse<String> response = send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + app.environment().get("APP_PORT") + "/received"))
			.header("dapr-api-token", app.environment().get("APP_API_TOKEN"))
			.build());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		List<JsonNode> ours = new ArrayList<>();
		Api.json.readTree(response.body()).path("applied").forEach((event) -> {
			if (taskIds.contains(event.get("taskId").asLong())) {
				ours.add(event);
			}
		});
		return ours;
	}

	/** Per task, a value of each of its events, in the order given. */
	private static Map<Long, List<String>> byTask(List<JsonNode> events, Function<JsonNode, String> value) {
		List<JsonNode> ordered = new ArrayList<>(events);
		if (events.stream().anyMatch((e) -> e.has("data"))) {
			// the audit's log: put each task's events in sequence order
			ordered.sort(Comparator.comparingLong((JsonNode e) -> e.get("sequence").asLong()));
		}
		return ordered.stream()
			.collect(Collectors.groupingBy((e) -> e.get("taskId").asLong(), LinkedHashMap::new,
					Collectors.mapping(value, Collectors.toList())));
	}

	private static long create(String user, String title) {
		return tasks.createTask(user, title).get("id").asLong();
	}

	private static void patch(String user, long id, String body) {
		Api.Response response = tasks.patch(user, "/api/v1/tasks/" + id, body);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
	}

	private static void complete(String user, long id) {
		Api.Response response = tasks.post(user, "/api/v1/tasks/" + id + "/complete", "");
		assertThat(response.status()).as(response.body()).isEqualTo(200);
	}

	/** {@code go build} of the example into target/, as a team would build it. */
	private static Path buildTheGoExample() {
		Path binary = Path.of("target/examples/go-subscriber").toAbsolutePath();
		Commands.Result build;
		try {
			build = Commands.run(Path.of("examples/go-subscriber"), Map.of(),
					List.of("go", "build", "-o", binary.toString(), "."));
		}
		catch (IllegalStateException ex) {
			throw new IllegalStateException(
					"go (1.22+) is needed to run examples/go-subscriber against the stack: " + ex.getMessage(), ex);
		}
		assertThat(build.exitCode()).as("go build in examples/go-subscriber:\n%s", build).isZero();
		return binary;
	}

	/**
	 * Attaches the app-id (its sidecar starts, waiting for the app), then starts the app
	 * with the environment attach printed, and waits until it answers.
	 */
	private static void start(String appId, int port, List<String> command) throws IOException {
		LocalStack.AttachedApp app = stack.attach(new Attachment(appId, port, Attachment.TASK_TOPICS, "/events"));
		attached.put(appId, app);
		Path log = stack.state().resolve("logs").resolve(appId + ".log");
		Files.createDirectories(log.getParent());
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
		builder.environment().putAll(app.environment());
		builder.environment().put("PYTHONUNBUFFERED", "1");
		apps.add(builder.start());
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.ignoreExceptions()
			.failFast(appId + " exited; see " + log, () -> !apps.get(apps.size() - 1).isAlive())
			.until(() -> send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build())
				.statusCode() == 200);
	}

	private static HttpResponse<String> send(HttpRequest request) {
		try {
			return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
