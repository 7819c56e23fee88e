package io.taskstream.tools.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.taskstream.tools.stack.LocalStack;
import io.taskstream.tools.stack.StackPorts;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code scripts/chaos}: runs reliability scenarios ({@link Scenarios#ALL}) one after the
 * other, each on a fresh stack of its own ports ({@link StackPorts#forChaos()}, state in
 * {@code target/chaos/stack}), so it runs beside a developer's stack, the end-to-end
 * tests and the benchmark. Each result goes to {@code target/chaos/<scenario>.json} and
 * its row to the table in {@code docs/reliability.md}.
 */
public final class Chaos {

	static final String USAGE = """
			usage: scripts/chaos <scenario>... | all | list | down [--keep] [--no-docs] [--rate N]
			  all        every scenario, one after the other
			  down       stop a stack left running by --keep (state in target/chaos/stack)
			  --keep     leave the last scenario's stack running
			  --no-docs  do not update the table in docs/reliability.md
			  --rate N   the load's writes per second instead of the scenario's (e.g. on a busy machine)""";

	/** The load runs this long before the fault and after the scenario is done. */
	static final Duration BEFORE = Duration.ofSeconds(20);

	static final Duration AFTER = Duration.ofSeconds(20);

	/** How long delivery may take to settle after the load stopped. */
	static final Duration SETTLE = Duration.ofSeconds(240);

	private static final JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	private final Path repo;

	private final boolean keep;

	/** The load's writes per second, or 0 for each scenario's own. */
	private final double rate;

	Chaos(Path repo, boolean keep) {
		this(repo, keep, 0);
	}

	Chaos(Path repo, boolean keep, double rate) {
		this.repo = repo.toAbsolutePath();
		this.keep = keep;
		this.rate = rate;
	}

	/** The stack the scenarios run on (fresh for each). */
	static LocalStack stack(Path repo, ChaosScenario scenario) {
		Map<String, String> environment = new HashMap<>();
		environment.put("APP_API_TOKEN", "chaos-app-" + UUID.randomUUID());
		environment.put("DAPR_API_TOKEN", "chaos-dapr-" + UUID.randomUUID());
		environment.putAll(scenario.environment());
		return new LocalStack(repo, stackDir(repo), StackPorts.forChaos(), environment, false, scenario.kafkaNodes());
	}

	/** The chaos stack as it last ran, e.g. to stop it. */
	static LocalStack lastStack(Path repo) {
		return new LocalStack(repo, stackDir(repo), StackPorts.forChaos(), Map.of(), false, 0);
	}

	static Path stackDir(Path repo) {
		return repo.resolve("target/chaos/stack");
	}

	/** Runs one scenario from a fresh stack to its verdict and writes its JSON. */
	ChaosResult run(ChaosScenario scenario) throws Exception {
		progress("=== " + scenario.name() + ": " + scenario.summary());
		Instant startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		LocalStack stack = stack(this.repo, scenario);
		stack.downAndWipe();
		stack.up();
		try {
			ChaosDatabase database = new ChaosDatabase(stack.ports().postgres());
			ChaosLoad load = new ChaosLoad(stack.ports().of("tasks").app(), scenario.users(),
					(this.rate > 0) ? this.rate : scenario.writesPerSecond());
			ChaosRun run = new ChaosRun(stack, database, load);
			progress(String.format(
					"load: %d users, %d s warm-up one call at a time each, then %.0f writes/s; %d s before the fault",
					load.users(), ChaosLoad.WARM_UP.toSeconds(), load.rate(), BEFORE.toSeconds()));
			scenario.prepare(run);
			database.startStatementTimings();
			load.start();
			PoolWatch pool = new PoolWatch(stack.ports().of("tasks").management(), load::seconds);
			Instant loadStart = Instant.now();
			run.pause(BEFORE);
			scenario.inject(run);
			run.happened("scenario done; the load runs " + AFTER.toSeconds() + " s more");
			run.pause(AFTER);
			load.stop();
			pool.close();
			Instant loadEnd = Instant.now();
			double loadSeconds = load.seconds();
			progress(String.format("load stopped after %.0f s: %s; waiting for delivery to settle", loadSeconds,
					load.calls()));
			double settled = run.await("delivery settling", SETTLE, () -> settled(database));
			run.measure("settled after the load (s)", settled);
			pool.seen().forEach(run::measure);
			run.measure("slowest statements, at their slowest", database.slowestStatements(3));
			run.measure("publish stall, longest (s)", database.publishStall(loadStart, loadEnd));
			for (String subscriber : ChaosDatabase.SUBSCRIBERS) {
				run.measure("delivery stall " + subscriber + ", longest (s)",
						database.deliveryStall(subscriber, loadStart, loadEnd));
			}
			if (!load.failedSeconds().isEmpty()) {
				run.measure("seconds of the load with failed calls", load.failedSeconds().toString());
			}
			Observed observed = new Observed(load.calls(), scenario.toleratedStatuses(), database.committed(),
					database.unpublished(), database.processed(), database.appliedTwice(),
					database.projections(load.acknowledged(), load.liveTasks()));
			Verdict verdict = Verdict.of(observed, run.failures());
			ChaosResult result = new ChaosResult(scenario.name(), scenario.summary(),
					"scripts/chaos " + scenario.name(), startedAt.toString(), stack.kafkaNodes(), load.users(),
					load.rate(), loadSeconds, load.missed(), observed, load.acknowledged(), run.happened(),
					run.measured(), verdict);
			Path file = this.repo.resolve("target/chaos").resolve(scenario.name() + ".json");
			Files.createDirectories(file.getParent());
			Files.writeString(file, json.writeValueAsString(result.json()));
			progress("results in " + file);
			progress(scenario.name() + ": " + verdict.line());
			return result;
		}
		finally {
			if (this.keep) {
				progress("--keep: the stack stays up (state in " + stackDir(this.repo) + ")");
			}
			else {
				stack.down();
			}
		}
	}

	private static boolean settled(ChaosDatabase database) throws Exception {
		long committed = database.committed();
		return database.unpublished() == 0
				&& database.processed().values().stream().allMatch((processed) -> processed >= committed);
	}

	public static void main(String[] args) throws Exception {
		List<String> names = new ArrayList<>();
		boolean keep = false;
		boolean docs = true;
		double rate = 0;
		for (int i = 0; i < args.length; i++) {
			String arg = args[i];
			switch (arg) {
				case "--rate" -> {
					rate = (i + 1 < args.length) ? parseRate(args[++i]) : -1;
					if (rate <= 0) {
						System.err.println("[chaos] --rate needs a positive number of writes per second\n" + help());
						System.exit(2);
					}
				}
				case "--keep" -> keep = true;
				case "--no-docs" -> docs = false;
				case "-h", "--help", "help" -> {
					System.out.println(help());
					return;
				}
				case "down" -> {
					lastStack(Path.of(System.getProperty("taskstream.repo", "."))).down();
					return;
				}
				case "list" -> {
					Scenarios.ALL.forEach((scenario) -> System.out.println(scenario.name()));
					return;
				}
				case "all" -> Scenarios.ALL.forEach((scenario) -> names.add(scenario.name()));
				default -> {
					if (arg.startsWith("-") || Scenarios.named(arg).isEmpty()) {
						System.err.println("[chaos] unknown scenario or option: " + arg + "\n" + help());
						System.exit(2);
					}
					names.add(arg);
				}
			}
		}
		if (names.isEmpty()) {
			System.err.println(help());
			System.exit(2);
		}
		Path repo = Path.of(System.getProperty("taskstream.repo", "."));
		Chaos chaos = new Chaos(repo, keep, rate);
		List<ChaosResult> results = new ArrayList<>();
		for (String name : names) {
			results.add(chaos.run(Scenarios.named(name).orElseThrow()));
		}
		if (docs) {
			ResultsTable.update(repo.resolve("docs/reliability.md"), results);
			progress("table updated in docs/reliability.md");
		}
		long passed = results.stream().filter((result) -> result.verdict().passed()).count();
		Map<String, String> verdicts = new LinkedHashMap<>();
		results.forEach((result) -> verdicts.put(result.scenario(), result.verdict().passed() ? "PASS" : "FAIL"));
		progress(passed + " of " + results.size() + " scenarios passed: " + verdicts);
		System.exit((passed == results.size()) ? 0 : 1);
	}

	private static double parseRate(String text) {
		try {
			return Double.parseDouble(text);
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	static String help() {
		StringBuilder help = new StringBuilder(USAGE).append("\nscenarios:\n");
		for (ChaosScenario scenario : Scenarios.ALL) {
			help.append(String.format("  %-14s %s%s%n", scenario.name(), scenario.summary(),
					(scenario.kafkaNodes() > 1) ? " (" + scenario.kafkaNodes() + " Kafka nodes)" : ""));
		}
		return help.toString().stripTrailing();
	}

	static void progress(String message) {
		System.out.println("[chaos] " + message);
		System.out.flush();
	}

	static void write(Path file, String text) throws IOException {
		Files.createDirectories(file.getParent());
		Files.writeString(file, text);
	}

}
