package io.taskstream;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

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
 * A corpus of bad requests against one role's endpoints: each gets its status and an RFC
 * 9457 problem with a stable type (and, for invalid input, the fields at fault), and none
 * writes anything: no task, event, webhook, read mark, redrive or rebuild. A subclass
 * lists its cases ({@link #cases()}); the corpus user owns one task ({@code {id}} in a
 * path) and one notification ({@code {notification}}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BadRequestCorpus {

	public static final String JSON = "application/json";

	/** Who sends a case. */
	public enum As {

		USER, OPERATOR, ANONYMOUS

	}

	/**
	 * @param user the identity sent when {@code as} is {@link As#USER}: the corpus user
	 * unless the case is about the identity itself
	 */
	public record Case(String name, String method, String path, As as, String user, String contentType, String body,
			List<String> headers, int status, String type) {

		public Case as(As who) {
			return new Case(this.name, this.method, this.path, who, this.user, this.contentType, this.body,
					this.headers, this.status, this.type);
		}

		public Case user(String identity) {
			return new Case(this.name, this.method, this.path, As.USER, identity, this.contentType, this.body,
					this.headers, this.status, this.type);
		}

		public Case body(String contentType, String text) {
			return new Case(this.name, this.method, this.path, this.as, this.user, contentType, text, this.headers,
					this.status, this.type);
		}

		public Case json(String text) {
			return body(JSON, text);
		}

		public Case header(String name, String value) {
			List<String> more = new ArrayList<>(this.headers);
			more.add(name);
			more.add(value);
			return new Case(this.name, this.method, this.path, this.as, this.user, this.contentType, this.body,
					List.copyOf(more), this.status, this.type);
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

	/** A case sent by the corpus user, without a body. */
	public static Case bad(String name, String method, String path, int status, String type) {
		return new Case(name, method, path, As.USER, null, null, null, List.of(), status, type);
	}

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	protected Api api;

	protected String user;

	long taskId;

	long notificationId;

	protected abstract Stream<Case> cases();

	/** The fewest cases this role's corpus must have. */
	protected abstract int atLeast();

	@BeforeAll
	void createWhatRequestsTarget() {
		this.api = Api.onPort(this.port);
		this.user = Api.newUser();
		this.api.send(this.api.request(this.user, "/api/v1/tasks")
			.header("Content-Type", JSON)
			.header("X-Device-Id", "corpus-phone")
			.POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"target\"}")));
		this.taskId = this.api.get(this.user, "/api/v1/tasks").json().at("/items/0/id").asLong();
		// counting starts once the task's event is stored and its notification made, so
		// only what a bad request writes can change the counts
		await().until(() -> count("audit.events WHERE user_id = ?") == 1
				&& count("notifications.notifications WHERE user_id = ?") == 1);
		this.notificationId = this.api.get(this.user, "/api/v1/notifications").json().at("/0/id").asLong();
	}

	@Test
	void theCorpusIsLargeEnough() {
		assertThat(cases().count()).isGreaterThanOrEqualTo(atLeast());
		assertThat(cases().map(Case::name).distinct().count()).as("distinct names").isEqualTo(cases().count());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void aBadRequestGetsAProblemAndWritesNothing(Case bad) {
		List<Long> before = writes();

		Api.Response response = this.api.send(request(bad));

		assertThat(response.status()).as(response.body()).isEqualTo(bad.status());
		assertThat(response.contentType()).startsWith("application/problem+json");
		JsonNode problem = response.json();
		assertThat(problem.get("type").asString()).isEqualTo("https://taskstream.io/problems/" + bad.type());
		assertThat(problem.get("status").asInt()).isEqualTo(bad.status());
		assertThat(problem.get("title").asString()).isNotBlank();
		assertThat(problem.get("detail").asString()).isNotBlank();
		assertThat(problem.get("instance").asString()).startsWith("/api/v1/");
		if (bad.type().equals("invalid-request")) {
			assertThat(problem.get("errors")).isNotEmpty();
			assertThat(problem.get("errors")).allSatisfy((error) -> {
				assertThat(error.get("field").asString()).isNotBlank();
				assertThat(error.get("message").asString()).isNotBlank();
			});
		}
		assertThat(writes()).as("tasks, versions, outbox, events, webhooks, read marks, redrives, rebuilds")
			.isEqualTo(before);
	}

	private HttpRequest.Builder request(Case bad) {
		String path = bad.path()
			.replace("{id}", Long.toString(this.taskId))
			.replace("{notification}", Long.toString(this.notificationId));
		HttpRequest.Builder builder = this.api
			.request((bad.as() == As.USER) ? ((bad.user() != null) ? bad.user() : this.user) : null, path);
		if (bad.as() == As.OPERATOR) {
			builder.header("Authorization", "Bearer " + IntegrationTest.OPERATOR_TOKEN);
		}
		if (bad.contentType() != null) {
			builder.header("Content-Type", bad.contentType());
		}
		for (int i = 0; i < bad.headers().size(); i += 2) {
			builder.header(bad.headers().get(i), bad.headers().get(i + 1));
		}
		return builder.method(bad.method(), (bad.body() != null) ? HttpRequest.BodyPublishers.ofString(bad.body())
				: HttpRequest.BodyPublishers.noBody());
	}

	/**
	 * Everything a request could write: the corpus user's rows, and the operators'
	 * actions (redrives, rebuilds), which are global but made only by requests.
	 */
	private List<Long> writes() {
		return List.of(count("tasks.tasks WHERE user_id = ?"),
				this.jdbc.sql("SELECT coalesce(sum(version), 0) FROM tasks.tasks WHERE user_id = ?")
					.param(this.user)
					.query(Long.class)
					.single(),
				count("tasks.outbox o JOIN tasks.tasks t ON t.id = o.task_id WHERE t.user_id = ?"),
				count("audit.events WHERE user_id = ?"), count("notifications.webhooks WHERE user_id = ?"),
				count("notifications.notifications WHERE read_at IS NOT NULL AND user_id = ?"),
				this.jdbc.sql("SELECT coalesce(sum(redrive_count), 0) FROM audit.dead_letters")
					.query(Long.class)
					.single(),
				this.jdbc.sql("SELECT count(*) FROM analytics.rebuilds").query(Long.class).single());
	}

	private long count(String rowsOfTheUser) {
		return this.jdbc.sql("SELECT count(*) FROM " + rowsOfTheUser).param(this.user).query(Long.class).single();
	}

}
