package io.taskstream.tools.chaos;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.taskstream.tools.stack.LocalStack;
import io.taskstream.tools.stack.StackPorts;

/**
 * A second analytics instance (its own app process and sidecar, the same app-id and so
 * the same consumer group) joins mid-stream, shares the partitions for a while, and
 * leaves (SIGTERM, as a scale-down). Each rebalance stops the group's consumption until
 * partitions are assigned again: the longest time analytics applied nothing around each
 * is the rebalance time. Events in flight at a revoked partition are delivered again to
 * the new owner: the inbox must apply them once.
 */
final class Rebalance implements ChaosScenario {

	static final String ROLE = "analytics";

	static final String INSTANCE = "analytics-2";

	/**
	 * In the chaos plan ({@link StackPorts#forChaos()}), apart from every role's ports.
	 */
	static final StackPorts.RolePorts SECOND = new StackPorts.RolePorts(ROLE, 20090, 15510, 16051, 16052, 21199);

	private static final Duration SHARED = Duration.ofSeconds(30);

	private static final Duration WINDOW = Duration.ofSeconds(25);

	@Override
	public String name() {
		return "rebalance";
	}

	@Override
	public String summary() {
		return "a second analytics instance (own sidecar, same consumer group) joins, stays " + SHARED.toSeconds()
				+ " s, leaves";
	}

	@Override
	public void inject(ChaosRun run) throws Exception {
		LocalStack stack = run.stack();
		ChaosDatabase database = run.database();
		stack.addInstance(INSTANCE, SECOND);
		Instant joining = run.now();
		stack.startAll(List.of(INSTANCE, INSTANCE + "-dapr"));
		Instant joined = run.now();
		run.happened(INSTANCE + " and its sidecar started (healthy after "
				+ ChaosDatabase.round((joined.toEpochMilli() - joining.toEpochMilli()) / 1e3) + " s)");
		run.await("the second instance applying events", WINDOW, () -> handled() > 0);
		run.pause(SHARED);
		long handled = handled();
		run.measure("events the second instance handled", Long.valueOf(handled));
		if (handled == 0) {
			run.fail("the second instance got no partition");
		}
		run.measure("rebalance on join: analytics stall (s)",
				database.deliveryStall(ROLE, joining, joined.plusSeconds(WINDOW.toSeconds())));
		Instant leaving = run.now();
		stack.stop(INSTANCE + "-dapr");
		stack.stop(INSTANCE);
		run.happened(INSTANCE + " and its sidecar stopped (SIGTERM)");
		run.pause(WINDOW);
		run.measure("rebalance on leave: analytics stall (s)",
				database.deliveryStall(ROLE, leaving.minusSeconds(1), run.now()));
		run.measure("analytics stall before the join, for comparison (s)",
				database.deliveryStall(ROLE, joining.minusSeconds(15), joining));
	}

	/** What the second instance's handler counted (all outcomes): its own metrics. */
	private static long handled() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + SECOND.management() + "/actuator/prometheus"))
				.timeout(Duration.ofSeconds(5))
				.build(), HttpResponse.BodyHandlers.ofString());
		return (long) response.body()
			.lines()
			.filter((line) -> line.startsWith("taskstream_events_consumed_total{"))
			.mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum();
	}

}
