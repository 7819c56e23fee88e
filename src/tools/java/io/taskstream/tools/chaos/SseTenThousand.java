package io.taskstream.tools.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.taskstream.DevTokens;
import tools.jackson.databind.json.JsonMapper;

/**
 * Ten thousand live notification streams on the one notifications instance, two thousand
 * users with five each (a phone, a laptop, tabs), held by this JVM ({@link LiveStreams})
 * while the write load runs. How far the notifications subscriber falls behind while the
 * streams open (a reconnect storm), and how long it takes to catch up. Then, once it has,
 * changes of those users' tasks, and the time from each change to each of the user's
 * streams with all of them open; what the notifications process holds (resident memory,
 * heap, threads, file descriptors) before and with the streams open; and what a stream
 * beyond the limits gets: a 429 problem at once, not a hang.
 */
final class SseTenThousand implements ChaosScenario {

	static final int USERS = 2_000;

	static final int PER_USER = 5;

	static final int STREAMS = USERS * PER_USER;

	/** Task changes whose notifications are timed, at {@link #CHANGES_PER_SECOND}. */
	static final int CHANGES = 400;

	static final int CHANGES_PER_SECOND = 10;

	/**
	 * The notifications role's heap: the streams' connections live there. At 1g the
	 * process ran out of heap at about 9,000 streams (2026-11-30: each open stream keeps
	 * about 100 KB, mostly Tomcat's per-connection request and response buffers).
	 */
	static final String HEAP = "2g";

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final List<String> users = new ArrayList<>();

	private DevTokens tokens;

	@Override
	public String name() {
		return "sse-10k";
	}

	@Override
	public String summary() {
		return STREAMS + " live notification streams (" + USERS + " users x " + PER_USER
				+ ") on one notifications instance, " + CHANGES + " task changes timed to every stream";
	}

	/**
	 * The instance's stream limit at the scenario's size, with room for one more to be
	 * refused, and the notifications role's heap.
	 */
	@Override
	public Map<String, String> environment() {
		return Map.of("TASKSTREAM_QUOTAS_STREAMS_PER_INSTANCE", Integer.toString(STREAMS),
				"TASKSTREAM_STACK_HEAP_NOTIFICATIONS", HEAP);
	}

	/**
	 * The background write load: 30/s, half the other scenarios'. At 60/s, with the
	 * 10,000 streams opening beside it on the same two cores, the tasks role's pool timed
	 * out 84 of 23,304 calls (503) on 2026-11-30: the machine's CPU, not the streams, is
	 * what that measured.
	 */
	@Override
	public double writesPerSecond() {
		return 30;
	}

	/**
	 * The 2,000 users' tokens, before the load starts: minting them is the dev issuer's
	 * work (an RSA signature each), not the streams'.
	 */
	@Override
	public void prepare(ChaosRun run) {
		String prefix = "sse-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL) + "-";
		this.users.clear();
		for (int i = 0; i < USERS; i++) {
			this.users.add(prefix + i);
		}
		this.tokens = DevTokens.onPort(run.ports().of("tasks").app());
		long minting = System.nanoTime();
		this.tokens.mintAll(this.users, 16);
		run.measure("minting " + USERS + " dev tokens took (s)",
				Math.round((System.nanoTime() - minting) / 1e8) / 10.0);
	}

	@Override
	public void inject(ChaosRun run) throws Exception {
		int tasksPort = run.ports().of("tasks").app();
		int notificationsPort = run.ports().of("notifications").app();
		long pid = run.stack().pid("notifications").orElseThrow();
		DevTokens tokens = this.tokens;
		List<String> users = this.users;
		String heap = heapFlag(pid);
		run.measure("notifications heap (-Xmx)", heap);
		if (!heap.equals(HEAP)) {
			// the last session's run got the stack's 256m default instead
			run.fail("the notifications JVM runs with -Xmx" + heap + ", not the scenario's " + HEAP);
		}
		run.measure("notifications before the streams", usage(run, pid));
		try (LiveStreams streams = new LiveStreams(notificationsPort, tokens)) {
			run.happened("opening " + STREAMS + " streams");
			Instant openingBegan = run.now();
			double opening = streams.openAll(users, PER_USER, 200, Duration.ofMinutes(3),
					() -> run.progress("  streams open: " + streams.open() + ", answers " + streams.answers() + "; "
							+ usageOrWhy(run, pid)));
			run.measure("streams open", streams.open());
			run.measure("opening all streams took (s)", opening);
			run.measure("stream answers by status", streams.answers().toString());
			if (streams.open() < STREAMS) {
				run.fail("only " + streams.open() + " of " + STREAMS + " streams opened: " + streams.answers());
			}
			run.measure("notifications with the streams open", usage(run, pid));
			Instant opened = run.now();
			run.measure("notifications subscriber behind while the streams opened, most (s)",
					run.database().longestDelivery("notifications", openingBegan, opened));
			run.measure("analytics subscriber behind while the streams opened, most (s)",
					run.database().longestDelivery("analytics", openingBegan, opened));
			// the timed changes measure the streams held, not the storm of their opening
			run.await("every subscriber caught up after the streams opened", Duration.ofSeconds(180),
					() -> !Double.isNaN(run.database().drainedAfter(opened)));
			run.measure("every subscriber caught up after the streams opened (s)", run.database().drainedAfter(opened));

			long refused = System.nanoTime();
			int beyond;
			try {
				beyond = streams.open(users.get(0) + "-beyond").get(30, TimeUnit.SECONDS);
			}
			catch (TimeoutException ex) {
				// the failure this guards against: a full instance that leaves a client
				// hanging
				beyond = -1;
			}
			run.measure("stream " + (STREAMS + 1) + " answered",
					beyond + " in " + Math.round((System.nanoTime() - refused) / 1e6) + " ms");
			if (beyond != 429) {
				run.fail("a stream beyond the instance's limit was answered "
						+ ((beyond < 0) ? "nothing in 30 s" : beyond) + ", not 429");
			}

			run.happened("changing the due date of " + CHANGES + " tasks of the streams' users, " + CHANGES_PER_SECOND
					+ "/s");
			List<Long> tasks = new ArrayList<>();
			for (int i = 0; i < CHANGES; i++) {
				tasks.add(create(tasksPort, tokens.apply(users.get(i * (USERS / CHANGES)))));
				run.load().changedByScenario("created", 1);
			}
			long began = System.nanoTime();
			for (int i = 0; i < CHANGES; i++) {
				long due = began + i * 1_000_000_000L / CHANGES_PER_SECOND;
				long wait = due - System.nanoTime();
				if (wait > 0) {
					Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
				}
				long task = tasks.get(i);
				streams.changing(task);
				reschedule(tasksPort, tokens.apply(users.get(i * (USERS / CHANGES))), task, i);
				run.load().changedByScenario("updated", 0);
			}
			int expected = CHANGES * PER_USER;
			run.await("every change at each of its user's streams", Duration.ofSeconds(120),
					() -> streams.received() >= expected);
			run.measure("changes received by streams", streams.received() + " of " + expected);
			run.measure("change to stream p50 (ms)", Math.round(streams.percentileMillis(50)));
			run.measure("change to stream p99 (ms)", Math.round(streams.percentileMillis(99)));
			run.measure("change to stream max (ms)", Math.round(streams.percentileMillis(100)));
			run.measure("change to stream p50, by leg", streams.legsMillis(50));
			run.measure("change to stream p99, by leg", streams.legsMillis(99));
			run.measure("notifications at the end", usage(run, pid));
			run.measure("streams still open at the end", streams.open());
			if (streams.ended() > 0) {
				run.fail(streams.ended() + " streams ended while they were held");
			}
		}
	}

	/** A task the user is not told about (made on this device), returning its id. */
	private long create(int port, String token) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/tasks"))
				.header("Authorization", "Bearer " + token)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"watched\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 201) {
			throw new IllegalStateException("creating a task answered " + response.statusCode());
		}
		return json.readTree(response.body()).get("id").asLong();
	}

	/**
	 * A change the user's streams are told about: a new due date ({@code Notifier} tells
	 * of completions, deletions, due-date changes and tasks added on a device; a rename,
	 * what this scenario first made, is not worth a notification, so no stream got one).
	 */
	private void reschedule(int port, String token, long task, int i) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/tasks/" + task))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/merge-patch+json")
			.method("PATCH",
					HttpRequest.BodyPublishers.ofString("{\"dueDate\":\"2027-01-" + (10 + i % 20) + "T09:00:00Z\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("changing a task's due date answered " + response.statusCode());
		}
	}

	/**
	 * {@link #usage}, or why it could not be read (a process out of heap may not answer).
	 */
	private String usageOrWhy(ChaosRun run, long pid) {
		try {
			return usage(run, pid);
		}
		catch (IOException | RuntimeException ex) {
			return "usage not read: " + ex;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "usage not read: interrupted";
		}
	}

	/** The process's {@code -Xmx} value as launched, or "default". */
	private static String heapFlag(long pid) throws IOException {
		for (String argument : Files.readString(Path.of("/proc/" + pid + "/cmdline")).split("\0")) {
			if (argument.startsWith("-Xmx")) {
				return argument.substring(4);
			}
		}
		return "default";
	}

	/** Resident memory, heap used, threads and open files of the process. */
	private String usage(ChaosRun run, long pid) throws IOException, InterruptedException {
		long rssKb = 0;
		long threads = 0;
		for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
			if (line.startsWith("VmRSS:")) {
				rssKb = Long.parseLong(line.replaceAll("\\D", ""));
			}
			if (line.startsWith("Threads:")) {
				threads = Long.parseLong(line.replaceAll("\\D", ""));
			}
		}
		long files;
		try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
			files = fds.count();
		}
		HttpResponse<String> heap = this.http.send(
				HttpRequest
					.newBuilder(URI.create("http://127.0.0.1:" + run.ports().of("notifications").management()
							+ "/actuator/metrics/jvm.memory.used?tag=area:heap"))
					.timeout(Duration.ofSeconds(10))
					.build(),
				HttpResponse.BodyHandlers.ofString());
		long heapMb = (heap.statusCode() == 200)
				? Math.round(json.readTree(heap.body()).get("measurements").get(0).get("value").asDouble() / 1e6) : -1;
		return String.format("RSS %d MB, heap used %d MB, %d threads, %d open files", rssKb / 1024, heapMb, threads,
				files);
	}

}
