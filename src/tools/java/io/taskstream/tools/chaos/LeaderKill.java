package io.taskstream.tools.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.taskstream.tools.stack.LocalStack;

/**
 * Three Kafka nodes; the leader of the busiest task partition is killed (SIGKILL, as a
 * crashed machine) and restarted 20 s later. With replication factor 3 and
 * {@code min.insync.replicas} 2 the two survivors elect a new leader from the in-sync
 * replicas and keep taking writes; the relay's and the consumers' clients find it; the
 * restarted node catches up.
 */
final class LeaderKill implements ChaosScenario {

	static final List<String> TASK_TOPICS = List.of("task.created", "task.updated", "task.deleted", "task.completed");

	private static final Duration DOWN = Duration.ofSeconds(20);

	private static final Duration RECOVERY = Duration.ofSeconds(180);

	@Override
	public String name() {
		return "leader-kill";
	}

	@Override
	public String summary() {
		return "the leader of the busiest task partition killed (SIGKILL) and restarted " + DOWN.toSeconds()
				+ " s later";
	}

	@Override
	public int kafkaNodes() {
		return 3;
	}

	@Override
	public void inject(ChaosRun run) throws Exception {
		LocalStack stack = run.stack();
		ChaosDatabase database = run.database();
		String busiestTopic = null;
		int busiestPartition = -1;
		long most = -1;
		for (String topic : TASK_TOPICS) {
			for (Map.Entry<Integer, Long> partition : stack.kafkaEndOffsets(topic).entrySet()) {
				if (partition.getValue() > most) {
					most = partition.getValue();
					busiestTopic = topic;
					busiestPartition = partition.getKey();
				}
			}
		}
		String topic = busiestTopic;
		int partition = busiestPartition;
		int leader = stack.kafkaLeaders(topic).get(partition);
		String node = stack.kafkaPart(leader);
		run.measure("busiest partition",
				topic + "-" + partition + " (" + most + " records, leader node " + leader + ")");
		Instant killed = run.now();
		stack.kill(node);
		run.happened("SIGKILL " + node + " (leader of " + topic + "-" + partition + ")");
		run.measure("new leader elected after (s)",
				run.await("a new leader of " + topic + "-" + partition, RECOVERY, () -> {
					int now = stack.kafkaLeaders(topic).get(partition);
					return now != leader && now != -1;
				}));
		run.await("publishing after the kill", RECOVERY,
				() -> !Double.isNaN(database.firstPublishAfter(killed.plusSeconds(1))));
		for (String subscriber : ChaosDatabase.SUBSCRIBERS) {
			run.await(subscriber + " applying after the kill", RECOVERY,
					() -> !Double.isNaN(database.firstDeliveryAfter(subscriber, killed.plusSeconds(1))));
		}
		run.pause(DOWN);
		run.measure("publish stall after the kill (s)", database.publishStall(killed.minusSeconds(1), run.now()));
		for (String subscriber : ChaosDatabase.SUBSCRIBERS) {
			run.measure("delivery stall " + subscriber + " after the kill (s)",
					database.deliveryStall(subscriber, killed.minusSeconds(1), run.now()));
		}
		run.measure("events committed before the kill all delivered after (s)", database.drainedAfter(killed));
		Instant restarting = run.now();
		stack.start(node);
		run.happened("restarted " + node + " after " + DOWN.toSeconds() + " s");
		run.measure("node back after (s)", (run.now().toEpochMilli() - restarting.toEpochMilli()) / 1e3);
		run.await("every task partition fully in sync", RECOVERY, () -> stack.kafkaUnderReplicated(TASK_TOPICS) == 0);
		run.measure("all replicas in sync again after the restart (s)",
				(run.now().toEpochMilli() - restarting.toEpochMilli()) / 1e3);
	}

}
