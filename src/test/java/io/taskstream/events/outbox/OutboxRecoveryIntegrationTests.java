package io.taskstream.events.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.taskstream.Api;
import io.taskstream.EventLog;
import io.taskstream.IntegrationTest;
import io.taskstream.events.transport.FaultInjectingTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How the relay comes back from a broker outage: at once, not as each row's backoff ends,
 * and saying so in a few log lines.
 */
@IntegrationTest
class OutboxRecoveryIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	FaultInjectingTransport transport;

	@Autowired
	JdbcClient jdbc;

	Api api;

	EventLog events;

	String user;

	/** What the relay's thread logs, at INFO and above. */
	final RelayLog relayLog = new RelayLog();

	@BeforeEach
	void setUp() {
		this.api = Api.onPort(this.port);
		this.events = new EventLog(this.api);
		this.user = Api.newUser();
		this.relayLog.start();
		((Logger) LoggerFactory.getLogger("io.taskstream")).addAppender(this.relayLog);
	}

	@AfterEach
	void heal() {
		this.transport.heal();
		((Logger) LoggerFactory.getLogger("io.taskstream")).detachAppender(this.relayLog);
	}

	@Test
	void rowsBackedOffToTheirLongestWaitDrainWithinTwoSecondsOfTheBrokersReturn() {
		this.transport.breakTheBroker();
		List<Long> tasks = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			long task = this.api.createTask(this.user, "during the outage " + i).get("id").asLong();
			this.api.patch(this.user, "/api/v1/tasks/" + task, "{\"title\":\"renamed " + i + "\"}");
			tasks.add(task);
		}
		int calls = this.transport.publishCalls();
		await().until(() -> this.transport.publishCalls() > calls);
		// as the relay leaves rows that failed one by one for long: each waits out the
		// longest backoff of production (30 s)
		this.jdbc.sql("""
				UPDATE tasks.outbox SET attempts = 8, next_attempt_at = now() + interval '30 seconds'
				WHERE task_id IN (:tasks) AND published_at IS NULL
				""").param("tasks", tasks).update();
		assertThat(unpublished(tasks)).isEqualTo(40);

		long healed = System.nanoTime();
		this.transport.heal();
		await().atMost(Duration.ofSeconds(2)).until(() -> unpublished(tasks) < 40);
		long startedMillis = (System.nanoTime() - healed) / 1_000_000;
		await().atMost(Duration.ofSeconds(10)).until(() -> unpublished(tasks) == 0);
		long drainedMillis = (System.nanoTime() - healed) / 1_000_000;

		System.out.println("[recovery] 40 rows backed off for 30 s: draining started " + startedMillis
				+ " ms after the heal, all published after " + drainedMillis + " ms");
		List<JsonNode> log = this.events.awaitExactly(this.user, 40);
		for (long task : tasks) {
			assertThat(log.stream()
				.filter((event) -> event.get("taskId").asLong() == task)
				.map((event) -> event.get("sequence").asLong())).containsExactly(1L, 2L);
		}
	}

	@Test
	void anOutageIsLoggedInAFewLinesHoweverManyTriesFailAndItsEndInOne() {
		this.transport.breakTheBroker();
		int calls = this.transport.publishCalls();
		List<Long> tasks = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			tasks.add(this.api.createTask(this.user, "logged " + i).get("id").asLong());
		}
		// each commit wakes the relay, and each wake is a try that fails
		await().atMost(Duration.ofSeconds(30)).until(() -> this.transport.publishCalls() - calls >= 25);
		int failedTries = this.transport.publishCalls() - calls;

		this.transport.heal();
		await().until(() -> unpublished(tasks) == 0);
		await().until(() -> relayLines().stream().anyMatch((line) -> line.startsWith("Publishing is back")));

		// from the outage's first line on (an earlier test's drain may end just before
		// it)
		List<String> all = relayLines();
		List<String> lines = all.subList(all.indexOf(
				all.stream().filter((line) -> line.startsWith("Publishing events fails")).findFirst().orElseThrow()),
				all.size());
		System.out.println("[recovery] " + failedTries + " failed tries logged as " + lines);
		assertThat(lines).hasSizeLessThanOrEqualTo(3);
		assertThat(lines).filteredOn((line) -> line.startsWith("Publishing events fails")).hasSize(1);
		assertThat(lines).filteredOn((line) -> line.startsWith("Publishing is back"))
			.singleElement()
			.satisfies((line) -> assertThat(line).containsPattern("after \\d+\\.\\d s down \\(\\d+ tries failed\\); "
					+ "(4\\d|[5-9]\\d|\\d{3,}) rows drained in \\d+\\.\\d s"));
	}

	/** What the relay's thread logged at INFO and above, but for taking the lead. */
	private List<String> relayLines() {
		return this.relayLog.lines.stream().filter((line) -> !line.contains("is the publisher")).toList();
	}

	/**
	 * Collects the relay thread's lines; appended from that thread, read from the test's.
	 */
	static final class RelayLog extends AppenderBase<ILoggingEvent> {

		final List<String> lines = new CopyOnWriteArrayList<>();

		@Override
		protected void append(ILoggingEvent event) {
			if (event.getThreadName().equals("outbox-relay") && event.getLevel().isGreaterOrEqual(Level.INFO)) {
				this.lines.add(event.getFormattedMessage());
			}
		}

	}

	private long unpublished(List<Long> tasks) {
		return this.jdbc.sql("SELECT count(*) FROM tasks.outbox WHERE task_id IN (:tasks) AND published_at IS NULL")
			.param("tasks", tasks)
			.query(Long.class)
			.single();
	}

}
