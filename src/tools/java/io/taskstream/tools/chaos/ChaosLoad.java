package io.taskstream.tools.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import io.taskstream.DevTokens;
import io.taskstream.tools.bench.OpenLoop;
import tools.jackson.databind.json.JsonMapper;

/**
 * Several users changing their own tasks through the tasks role's API at a fixed rate (an
 * {@link OpenLoop}): each call creates, renames, completes or deletes a task of its user,
 * as a person's day would. It keeps what was acknowledged (a 2xx answer), so the verdict
 * can hold the database and the projections against it, and every call's answer, by
 * second, so a scenario sees when calls failed.
 */
public final class ChaosLoad {

	/** The operations, in the order of {@link #acknowledged()}. */
	static final List<String> OPERATIONS = List.of("created", "updated", "completed", "deleted");

	private static final JsonMapper json = JsonMapper.builder().build();

	/** Longer than any pause a scenario injects: a call not answered in it is lost. */
	private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final URI tasks;

	private final DevTokens tokens;

	private final List<User> users = new ArrayList<>();

	private final double rate;

	private final OpenLoop loop;

	private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();

	private final AtomicLong unanswered = new AtomicLong();

	/**
	 * 503 answers without the {@code Retry-After} that tells a client when to come back.
	 */
	private final AtomicLong unavailableWithoutRetryAfter = new AtomicLong();

	/** Open tasks made by the scenario itself ({@link #changedByScenario}). */
	private final AtomicLong scenarioOpenTasks = new AtomicLong();

	private final Map<String, AtomicLong> acknowledged = new ConcurrentHashMap<>();

	/** Per second of the run: calls answered 2xx, and calls that were not. */
	private final AtomicLongArray okPerSecond = new AtomicLongArray(7200);

	private final AtomicLongArray failedPerSecond = new AtomicLongArray(7200);

	private volatile long startedNanos;

	private Thread runner;

	private volatile OpenLoop.Outcome outcome;

	ChaosLoad(int tasksPort, int users, double rate) {
		this.tasks = URI.create("http://127.0.0.1:" + tasksPort + "/api/v1/tasks");
		this.tokens = DevTokens.onPort(tasksPort);
		String run = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
		for (int i = 0; i < users; i++) {
			this.users.add(new User("chaos-" + run + "-" + i));
		}
		this.rate = rate;
		this.loop = new OpenLoop(rate, 256);
		OPERATIONS.forEach((operation) -> this.acknowledged.put(operation, new AtomicLong()));
	}

	int users() {
		return this.users.size();
	}

	double rate() {
		return this.rate;
	}

	/**
	 * Mints the users' tokens, warms the stack up ({@link #WARM_UP}), then starts the
	 * calls at the rate on a thread of their own.
	 */
	void start() throws InterruptedException {
		this.users.forEach((user) -> this.tokens.apply(user.name));
		this.startedNanos = System.nanoTime();
		warmUp();
		this.runner = new Thread(() -> {
			try {
				this.outcome = this.loop.run(7000, this::call);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}, "chaos-load");
		this.runner.setDaemon(true);
		this.runner.start();
	}

	/**
	 * Each user's calls one after the other for this long before the open loop: the roles
	 * have just become healthy, their code is not yet compiled, and an open loop at full
	 * rate on a cold stack of two cores queued more calls at the tasks role's 10 pooled
	 * connections than it could serve, until the oldest waited out the pool's 10 s and
	 * were answered 503 with the database up (once in CI, in broker-freeze). A closed
	 * loop never offers more than the stack answers. Its calls are the load's like any
	 * other: counted, and held against the database by the verdict.
	 */
	static final Duration WARM_UP = Duration.ofSeconds(10);

	private void warmUp() throws InterruptedException {
		long end = System.nanoTime() + WARM_UP.toNanos();
		List<Thread> threads = new ArrayList<>();
		for (int u = 0; u < this.users.size(); u++) {
			int first = u;
			Thread thread = new Thread(() -> {
				for (long index = first; System.nanoTime() < end; index += this.users.size()) {
					call(index);
				}
			}, "chaos-warm-up");
			thread.setDaemon(true);
			thread.start();
			threads.add(thread);
		}
		for (Thread thread : threads) {
			thread.join();
		}
	}

	/** Makes no further call and waits for the calls in flight. */
	void stop() throws InterruptedException {
		this.loop.stop();
		this.runner.join();
	}

	/**
	 * Calls that fell due but were not made, because 256 were still waiting for their
	 * answer: the load generator could not keep the rate.
	 */
	long missed() {
		return (this.outcome != null) ? this.outcome.missed() : 0;
	}

	/** Seconds since the load started. */
	double seconds() {
		return (System.nanoTime() - this.startedNanos) / 1e9;
	}

	/** The calls so far, by answer. */
	Observed.Calls calls() {
		Map<Integer, Long> byStatus = new TreeMap<>();
		this.statuses.forEach((status, count) -> byStatus.put(status, count.get()));
		long total = this.unanswered.get() + byStatus.values().stream().mapToLong(Long::longValue).sum();
		return new Observed.Calls(total, this.unanswered.get(), byStatus);
	}

	/** Changes answered 2xx, by operation ({@link #OPERATIONS}). */
	Map<String, Long> acknowledged() {
		Map<String, Long> counts = new LinkedHashMap<>();
		OPERATIONS.forEach((operation) -> counts.put(operation, this.acknowledged.get(operation).get()));
		return counts;
	}

	/** The tasks the users hold now, by what the API answered: open and completed. */
	long[] liveTasks() {
		long open = 0;
		long completed = 0;
		for (User user : this.users) {
			synchronized (user) {
				open += user.open.size();
				completed += user.completed.size();
			}
		}
		return new long[] { open + this.scenarioOpenTasks.get(), completed };
	}

	/**
	 * A change a scenario made itself through the API and got 2xx for (e.g. the tasks
	 * whose notifications sse-10k times): the verdict holds the database to it as to the
	 * load's own.
	 * @param openTasks how the number of open tasks changed with it
	 */
	void changedByScenario(String operation, int openTasks) {
		this.acknowledged.get(operation).incrementAndGet();
		this.scenarioOpenTasks.addAndGet(openTasks);
	}

	/** 503 answers that lacked {@code Retry-After}. */
	long unavailableWithoutRetryAfter() {
		return this.unavailableWithoutRetryAfter.get();
	}

	/**
	 * The first second of the run, from {@code second} on, in which every call was
	 * answered 2xx, or -1.
	 */
	int firstCleanSecondFrom(double second) {
		for (int i = (int) Math.ceil(second); i < (int) seconds() && i < this.okPerSecond.length(); i++) {
			if (this.okPerSecond.get(i) > 0 && this.failedPerSecond.get(i) == 0) {
				return i;
			}
		}
		return -1;
	}

	/**
	 * The seconds of the run in which some call failed (no answer, or not 2xx), with how
	 * many failed in each.
	 */
	Map<Integer, Long> failedSeconds() {
		Map<Integer, Long> seconds = new TreeMap<>();
		for (int i = 0; i < this.failedPerSecond.length(); i++) {
			if (this.failedPerSecond.get(i) > 0) {
				seconds.put(i, this.failedPerSecond.get(i));
			}
		}
		return seconds;
	}

	private void call(long index) {
		User user = this.users.get((int) (index % this.users.size()));
		int slot = (int) ((index / this.users.size()) % 20);
		int status;
		try {
			status = operate(user, slot);
		}
		catch (IOException ex) {
			this.unanswered.incrementAndGet();
			tally(false);
			return;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.unanswered.incrementAndGet();
			return;
		}
		this.statuses.computeIfAbsent(status, (key) -> new AtomicLong()).incrementAndGet();
		tally(status >= 200 && status < 300);
	}

	private void tally(boolean ok) {
		int second = (int) Math.min(this.okPerSecond.length() - 1, (long) seconds());
		(ok ? this.okPerSecond : this.failedPerSecond).incrementAndGet(second);
	}

	/**
	 * One change of the user's: 40 % creates, 25 % renames, 20 % completions, 15 %
	 * deletions, and a create whenever the user has too few open tasks for the others. A
	 * task being changed is taken out of the user's lists until its answer comes, so a
	 * user's calls run side by side (a slow API does not slow the load) and never race on
	 * one task.
	 */
	private int operate(User user, int slot) throws IOException, InterruptedException {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		Operation operation;
		long id = -1;
		synchronized (user) {
			if (slot < 8 || user.open.size() < 3) {
				operation = Operation.CREATE;
			}
			else if (slot < 13) {
				operation = Operation.RENAME;
				id = user.open.remove(random.nextInt(user.open.size()));
			}
			else if (slot < 17) {
				operation = Operation.COMPLETE;
				id = user.open.remove(random.nextInt(user.open.size()));
			}
			else if (!user.completed.isEmpty()) {
				operation = Operation.DELETE_COMPLETED;
				id = user.completed.remove(random.nextInt(user.completed.size()));
			}
			else {
				operation = Operation.DELETE_OPEN;
				id = user.open.remove(random.nextInt(user.open.size()));
			}
		}
		HttpResponse<String> response;
		try {
			response = send(user, request(operation, id, random));
		}
		catch (IOException | InterruptedException ex) {
			// no answer: the task's state is unknown; a rename cannot have removed it
			if (operation == Operation.RENAME) {
				synchronized (user) {
					user.open.add(id);
				}
			}
			throw ex;
		}
		int status = response.statusCode();
		boolean ok = status >= 200 && status < 300;
		synchronized (user) {
			switch (operation) {
				case CREATE -> {
					if (ok) {
						user.open.add(json.readTree(response.body()).get("id").asLong());
					}
				}
				case RENAME -> user.open.add(id);
				case COMPLETE -> (ok ? user.completed : user.open).add(id);
				case DELETE_COMPLETED -> {
					if (!ok) {
						user.completed.add(id);
					}
				}
				case DELETE_OPEN -> {
					if (!ok) {
						user.open.add(id);
					}
				}
			}
		}
		if (ok) {
			this.acknowledged.get(operation.acknowledged).incrementAndGet();
		}
		return status;
	}

	private HttpRequest.Builder request(Operation operation, long id, ThreadLocalRandom random) {
		return switch (operation) {
			case CREATE -> HttpRequest.newBuilder(this.tasks)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("""
						{"title":"Chaos task %d","description":"Written by the reliability scenarios.",\
						"priority":"MEDIUM","tags":["chaos"]}""".formatted(random.nextInt(1_000_000))));
			case RENAME -> HttpRequest.newBuilder(URI.create(this.tasks + "/" + id))
				.header("Content-Type", "application/merge-patch+json")
				.method("PATCH", HttpRequest.BodyPublishers
					.ofString("{\"title\":\"Chaos task renamed " + random.nextInt(1_000_000) + "\"}"));
			case COMPLETE -> HttpRequest.newBuilder(URI.create(this.tasks + "/" + id + "/complete"))
				.POST(HttpRequest.BodyPublishers.noBody());
			case DELETE_COMPLETED, DELETE_OPEN -> HttpRequest.newBuilder(URI.create(this.tasks + "/" + id)).DELETE();
		};
	}

	/** What a call does, and the operation it counts as when answered 2xx. */
	private enum Operation {

		CREATE("created"), RENAME("updated"), COMPLETE("completed"), DELETE_COMPLETED("deleted"),
		DELETE_OPEN("deleted");

		private final String acknowledged;

		Operation(String acknowledged) {
			this.acknowledged = acknowledged;
		}

	}

	private HttpResponse<String> send(User user, HttpRequest.Builder request) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(
				request.timeout(CALL_TIMEOUT).header("Authorization", "Bearer " + this.tokens.apply(user.name)).build(),
				HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() == 503 && response.headers().firstValue("Retry-After").isEmpty()) {
			this.unavailableWithoutRetryAfter.incrementAndGet();
		}
		return response;
	}

	/** A user's tasks as the API answered: each call of a user waits for the last. */
	private static final class User {

		private final String name;

		private final List<Long> open = new ArrayList<>();

		private final List<Long> completed = new ArrayList<>();

		private User(String name) {
			this.name = name;
		}

	}

}
