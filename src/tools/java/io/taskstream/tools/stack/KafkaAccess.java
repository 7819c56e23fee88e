package io.taskstream.tools.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on the secured broker: the one statement of the least-privilege model
 * (issue 17). The secured stack applies exactly these ACLs; docs/local-kafka-security.md
 * shows the same table, and {@code KafkaAccessTests} fails when the two differ. Anything
 * not granted here is denied ({@code allow.everyone.if.no.acl.found=false}).
 *
 * @param role the role, which is also its SCRAM user name ({@code User:<role>})
 * @param writes topics it may produce to (and describe)
 * @param reads topics it may consume (and describe)
 * @param group the consumer group it reads with (the Dapr component's
 * {@code consumerGroup: "{appID}"}), or {@code null} when it reads nothing
 */
public record KafkaAccess(String role, Set<String> writes, Set<String> reads, String group) {

	static final Set<String> TASK_TOPICS = Set.of("task.created", "task.updated", "task.deleted", "task.completed");

	static final String DEAD_LETTERS = "task.deadletter";

	static final String REPLAY = "task.replay";

	/**
	 * tasks writes the task events; each subscriber reads what its Dapr subscriptions
	 * name (components/pubsub-kafka.yaml subscriptionScopes) and writes its dead letters;
	 * audit also writes task.replay and the task topics (dead-letter redrive).
	 */
	public static final List<KafkaAccess> MODEL = List.of(new KafkaAccess("tasks", TASK_TOPICS, Set.of(), null),
			new KafkaAccess("analytics", Set.of(DEAD_LETTERS), union(TASK_TOPICS, Set.of(REPLAY)), "analytics"),
			new KafkaAccess("notifications", Set.of(DEAD_LETTERS), union(TASK_TOPICS, Set.of(REPLAY)), "notifications"),
			new KafkaAccess("audit", union(TASK_TOPICS, Set.of(DEAD_LETTERS, REPLAY)),
					union(TASK_TOPICS, Set.of(DEAD_LETTERS, REPLAY)), "audit"));

	/** The broker's (and controller's) own principal, the only super user. */
	public static final String BROKER_USER = "kafka-broker";

	public KafkaAccess {
		writes = new TreeSet<>(writes);
		reads = new TreeSet<>(reads);
	}

	public String principal() {
		return "User:" + this.role;
	}

	/** The ACLs that grant this role its rights, all literal, all from any host. */
	List<AclBinding> bindings() {
		List<AclBinding> bindings = new ArrayList<>();
		for (String topic : this.writes) {
			bindings.add(allow(ResourceType.TOPIC, topic, AclOperation.WRITE));
			bindings.add(allow(ResourceType.TOPIC, topic, AclOperation.DESCRIBE));
		}
		for (String topic : this.reads) {
			bindings.add(allow(ResourceType.TOPIC, topic, AclOperation.READ));
			bindings.add(allow(ResourceType.TOPIC, topic, AclOperation.DESCRIBE));
		}
		if (this.group != null) {
			bindings.add(allow(ResourceType.GROUP, this.group, AclOperation.READ));
		}
		return List.copyOf(new java.util.LinkedHashSet<>(bindings));
	}

	/** Every role's ACLs. */
	static List<AclBinding> allBindings() {
		return MODEL.stream().flatMap((access) -> access.bindings().stream()).toList();
	}

	private AclBinding allow(ResourceType type, String name, AclOperation operation) {
		return new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
				new AccessControlEntry(principal(), "*", operation, AclPermissionType.ALLOW));
	}

	private static Set<String> union(Set<String> a, Set<String> b) {
		Set<String> all = new TreeSet<>(a);
		all.addAll(b);
		return all;
	}

}
