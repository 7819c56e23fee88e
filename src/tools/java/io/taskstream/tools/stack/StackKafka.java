package io.taskstream.tools.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The stack's Kafka: one node, or a cluster of {@code nodes} (issue 18). Each node is
 * KRaft with broker and controller in one JVM; in a cluster every node is a voter, topics
 * are replicated to every node and a write needs two in-sync replicas, so one node can
 * die without losing an acknowledged event.
 */
final class StackKafka {

	/** The task topics' partitions in a cluster, as seed 001's three-node setup has. */
	static final int CLUSTER_PARTITIONS = 6;

	private final Path state;

	private final Path dir;

	/** 1, or the size of the cluster. */
	private final int nodes;

	private final StackPorts ports;

	private final Artifacts artifacts;

	/**
	 * The secured broker's credentials (made on first use), or {@code null} for a
	 * PLAINTEXT broker.
	 */
	private final Supplier<KafkaSecrets> secrets;

	StackKafka(Path state, StackPorts ports, Artifacts artifacts, Supplier<KafkaSecrets> secrets) {
		this(state, ports, artifacts, secrets, 1);
	}

	StackKafka(Path state, StackPorts ports, Artifacts artifacts, Supplier<KafkaSecrets> secrets, int nodes) {
		if (nodes != 1 && secrets != null) {
			throw new IllegalArgumentException("a secured Kafka runs one node only (--secure with --kafka-nodes 1)");
		}
		this.state = state;
		this.dir = state.resolve("kafka");
		this.nodes = nodes;
		this.ports = ports;
		this.artifacts = artifacts;
		this.secrets = secrets;
	}

	/**
	 * The broker's command: writes its configuration and formats its storage on first
	 * use.
	 */
	List<String> command(Path formatLog) {
		return command(1, formatLog);
	}

	/** The command of node {@code node} (1-based) of a cluster, or of the one node. */
	List<String> command(int node, Path formatLog) {
		Path nodeDir = nodeDir(node);
		Path config = nodeDir.resolve("server.properties");
		try {
			Files.createDirectories(nodeDir.resolve("data"));
			try (var out = Files.newBufferedWriter(config)) {
				Properties properties = (this.nodes == 1) ? serverProperties(this.ports, nodeDir.resolve("data"))
						: clusterProperties(this.ports, node, this.nodes, nodeDir.resolve("data"));
				if (this.secrets != null) {
					properties.putAll(securedProperties(this.ports, this.secrets.get()));
				}
				properties.store(out, "Written by the Taskstream local stack");
			}
			if (this.secrets != null) {
				Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
			}
			if (!Files.exists(nodeDir.resolve("data/meta.properties"))) {
				LocalStack.progress(partName(node) + ": formatting storage");
				List<String> format = new ArrayList<>(
						List.of("format", "-t", clusterId(), "-c", config.toString(), "--ignore-formatted"));
				if (this.secrets != null) {
					// KRaft keeps SCRAM credentials in its metadata log: the users exist
					// from
					// the first start, before any client (or the Admin API) could log in
					for (String user : KafkaSecrets.users()) {
						format.add("--add-scram");
						format.add(
								"SCRAM-SHA-512=[name=" + user + ",password=" + this.secrets.get().password(user) + "]");
					}
				}
				Processes.run(this.artifacts.javaCommand(List.of("-Xmx256m"), "kafka.tools.StorageTool",
						format.toArray(String[]::new)), formatLog);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		// three nodes share two cores with eight other processes: a smaller heap each
		List<String> heap = (this.nodes == 1) ? List.of("-Xmx512m", "-Xms256m") : List.of("-Xmx384m", "-Xms128m");
		return this.artifacts.javaCommand(heap, "kafka.Kafka", config.toString());
	}

	int nodes() {
		return this.nodes;
	}

	/** {@code kafka} for the one node, {@code kafka-1}... in a cluster. */
	String partName(int node) {
		return (this.nodes == 1) ? "kafka" : "kafka-" + node;
	}

	/** The parts' names, node 1 first. */
	List<String> partNames() {
		List<String> names = new ArrayList<>();
		for (int node = 1; node <= this.nodes; node++) {
			names.add(partName(node));
		}
		return names;
	}

	/** The node a part name stands for, or 0 if it is none of this Kafka's. */
	int node(String part) {
		return partNames().indexOf(part) + 1;
	}

	/** What clients bootstrap from: every node's client listener. */
	String bootstrap() {
		List<String> servers = new ArrayList<>();
		for (int node = 1; node <= this.nodes; node++) {
			servers.add("127.0.0.1:" + this.ports.kafkaNode(node).client());
		}
		return String.join(",", servers);
	}

	private Path nodeDir(int node) {
		return (this.nodes == 1) ? this.dir : this.state.resolve("kafka-" + node);
	}

	/**
	 * A cluster's nodes are formatted with one cluster id, or they would not form a
	 * quorum; it is kept beside their folders.
	 */
	private String clusterId() throws IOException {
		if (this.nodes == 1) {
			return Uuid.randomUuid().toString();
		}
		Path file = this.state.resolve("kafka-cluster-id");
		if (!Files.exists(file)) {
			Files.createDirectories(this.state);
			Files.writeString(file, Uuid.randomUuid().toString());
		}
		return Files.readString(file).trim();
	}

	/**
	 * Node {@code node} of a cluster of {@code nodes} on loopback: every node a voter,
	 * topics and internal topics replicated to every node (at most 3), writes needing two
	 * in-sync replicas.
	 */
	static Properties clusterProperties(StackPorts ports, int node, int nodes, Path data) {
		Properties properties = serverProperties(ports, data);
		StackPorts.KafkaNodePorts own = ports.kafkaNode(node);
		List<String> voters = new ArrayList<>();
		for (int i = 1; i <= nodes; i++) {
			voters.add(i + "@127.0.0.1:" + ports.kafkaNode(i).controller());
		}
		String replicas = Integer.toString(Math.min(3, nodes));
		String minInSync = Integer.toString(Math.min(2, nodes));
		properties.setProperty("node.id", Integer.toString(node));
		properties.setProperty("controller.quorum.voters", String.join(",", voters));
		properties.setProperty("listeners",
				"PLAINTEXT://127.0.0.1:" + own.client() + ",CONTROLLER://127.0.0.1:" + own.controller());
		properties.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + own.client());
		properties.setProperty("num.partitions", Integer.toString(CLUSTER_PARTITIONS));
		properties.setProperty("default.replication.factor", replicas);
		properties.setProperty("min.insync.replicas", minInSync);
		properties.setProperty("offsets.topic.replication.factor", replicas);
		properties.setProperty("transaction.state.log.replication.factor", replicas);
		properties.setProperty("transaction.state.log.min.isr", minInSync);
		properties.setProperty("share.coordinator.state.topic.replication.factor", replicas);
		properties.setProperty("share.coordinator.state.topic.min.isr", minInSync);
		// no unclean election: a replica that missed acknowledged writes never leads
		properties.setProperty("unclean.leader.election.enable", "false");
		return properties;
	}

	/** A single-node broker on loopback: no replication, no topic auto-creation. */
	static Properties serverProperties(StackPorts ports, Path data) {
		Properties properties = new Properties();
		properties.setProperty("process.roles", "broker,controller");
		properties.setProperty("node.id", "1");
		properties.setProperty("controller.quorum.voters", "1@127.0.0.1:" + ports.kafkaController());
		properties.setProperty("listeners",
				"PLAINTEXT://127.0.0.1:" + ports.kafka() + ",CONTROLLER://127.0.0.1:" + ports.kafkaController());
		properties.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + ports.kafka());
		properties.setProperty("controller.listener.names", "CONTROLLER");
		properties.setProperty("inter.broker.listener.name", "PLAINTEXT");
		properties.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
		properties.setProperty("log.dirs", data.toString());
		properties.setProperty("auto.create.topics.enable", "false");
		properties.setProperty("num.partitions", Integer.toString(LocalStack.PARTITIONS));
		properties.setProperty("offsets.topic.replication.factor", "1");
		properties.setProperty("offsets.topic.num.partitions", "4");
		properties.setProperty("transaction.state.log.replication.factor", "1");
		properties.setProperty("transaction.state.log.min.isr", "1");
		properties.setProperty("share.coordinator.state.topic.replication.factor", "1");
		properties.setProperty("share.coordinator.state.topic.min.isr", "1");
		properties.setProperty("group.initial.rebalance.delay.ms", "0");
		return properties;
	}

	/**
	 * What the secured broker adds: clients on SASL_SSL (SCRAM-SHA-512), the controller
	 * listener on TLS with client certificates (in KRaft the controller listener cannot
	 * take SASL/SCRAM: SCRAM credentials live in the metadata log the controller serves,
	 * so the broker proves itself to the controller with its certificate), the
	 * StandardAuthorizer denying whatever no ACL allows, and the broker as the only super
	 * user (its certificate's CN and its SCRAM user are the same name).
	 */
	static Properties securedProperties(StackPorts ports, KafkaSecrets secrets) {
		Properties properties = new Properties();
		properties.setProperty("listeners",
				"CLIENT://127.0.0.1:" + ports.kafka() + ",CONTROLLER://127.0.0.1:" + ports.kafkaController());
		properties.setProperty("advertised.listeners", "CLIENT://127.0.0.1:" + ports.kafka());
		properties.setProperty("listener.security.protocol.map", "CLIENT:SASL_SSL,CONTROLLER:SSL");
		properties.setProperty("inter.broker.listener.name", "CLIENT");
		properties.setProperty("sasl.enabled.mechanisms", "SCRAM-SHA-512");
		properties.setProperty("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512");
		properties.setProperty("listener.name.client.scram-sha-512.sasl.jaas.config",
				KafkaSecrets.jaas(KafkaAccess.BROKER_USER, secrets.password(KafkaAccess.BROKER_USER)));
		properties.setProperty("ssl.keystore.type", "PKCS12");
		properties.setProperty("ssl.keystore.location", secrets.keyStore().toString());
		properties.setProperty("ssl.keystore.password", secrets.storePassword());
		properties.setProperty("ssl.key.password", secrets.storePassword());
		properties.setProperty("ssl.truststore.type", "PKCS12");
		properties.setProperty("ssl.truststore.location", secrets.trustStore().toString());
		properties.setProperty("ssl.truststore.password", secrets.storePassword());
		properties.setProperty("ssl.enabled.protocols", "TLSv1.3,TLSv1.2");
		properties.setProperty("listener.name.controller.ssl.client.auth", "required");
		properties.setProperty("ssl.principal.mapping.rules", "RULE:^CN=([^,]+).*$/$1/,DEFAULT");
		properties.setProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
		properties.setProperty("allow.everyone.if.no.acl.found", "false");
		properties.setProperty("super.users", "User:" + KafkaAccess.BROKER_USER);
		return properties;
	}

	/** The settings of a Java client as {@code user} (SASL_SSL when secured). */
	Map<String, Object> client(String user, String password) {
		String bootstrap = bootstrap();
		if (this.secrets == null) {
			return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
		}
		return this.secrets.get().client(bootstrap, user, password);
	}

	private Admin admin() {
		Map<String, Object> config = new HashMap<>((this.secrets == null) ? client(null, null)
				: client(KafkaAccess.BROKER_USER, this.secrets.get().password(KafkaAccess.BROKER_USER)));
		config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
		config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
		return Admin.create(config);
	}

	/**
	 * Grants each role exactly its rights ({@link KafkaAccess#MODEL}); creating an ACL
	 * that exists changes nothing.
	 */
	void applyAcls() {
		if (this.secrets == null) {
			return;
		}
		try (Admin admin = admin()) {
			var bindings = KafkaAccess.allBindings();
			admin.createAcls(bindings).all().get();
			LocalStack.progress("kafka: " + bindings.size() + " ACLs for " + KafkaAccess.MODEL.size() + " roles");
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("creating the ACLs failed", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	boolean ready() {
		return ready(1);
	}

	/** Whether the node listens and the cluster counts it among its live brokers. */
	boolean ready(int node) {
		if (!Health.isListening(this.ports.kafkaNode(node).client())) {
			return false;
		}
		try (Admin admin = admin()) {
			return admin.describeCluster().nodes().get().stream().anyMatch((live) -> live.id() == node);
		}
		catch (ExecutionException | RuntimeException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Each partition's leader (a node id, -1 while it has none) by partition, of a topic.
	 */
	Map<Integer, Integer> leaders(String topic) {
		try (Admin admin = admin()) {
			Map<Integer, Integer> leaders = new TreeMap<>();
			admin.describeTopics(List.of(topic))
				.allTopicNames()
				.get()
				.get(topic)
				.partitions()
				.forEach((partition) -> leaders.put(partition.partition(),
						(partition.leader() == null) ? -1 : partition.leader().id()));
			return leaders;
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("describing topic " + topic + " failed", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Each partition's end offset (how many records it holds) of a topic. */
	Map<Integer, Long> endOffsets(String topic) {
		try (Admin admin = admin()) {
			Map<TopicPartition, OffsetSpec> wanted = new HashMap<>();
			admin.describeTopics(List.of(topic))
				.allTopicNames()
				.get()
				.get(topic)
				.partitions()
				.forEach((partition) -> wanted.put(new TopicPartition(topic, partition.partition()),
						OffsetSpec.latest()));
			Map<Integer, Long> offsets = new TreeMap<>();
			admin.listOffsets(wanted)
				.all()
				.get()
				.forEach((partition, offset) -> offsets.put(partition.partition(), offset.offset()));
			return offsets;
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("listing the offsets of " + topic + " failed", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The partitions of these topics with fewer in-sync replicas than replicas. */
	int underReplicated(List<String> topics) {
		try (Admin admin = admin()) {
			return (int) admin.describeTopics(topics)
				.allTopicNames()
				.get()
				.values()
				.stream()
				.flatMap((description) -> description.partitions().stream())
				.filter((partition) -> partition.isr().size() < partition.replicas().size())
				.count();
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("describing " + topics + " failed", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Creates a topic unless it exists, replicated to every node (at most 3). */
	void createTopic(String topic, int partitions) {
		short replicas = (short) Math.min(3, this.nodes);
		try (Admin admin = admin()) {
			admin.createTopics(List.of(new NewTopic(topic, partitions, replicas))).all().get();
			LocalStack.progress("kafka: created topic " + topic + " (" + partitions + " partitions, " + replicas
					+ ((replicas == 1) ? " replica)" : " replicas)"));
		}
		catch (ExecutionException ex) {
			if (!(ex.getCause() instanceof TopicExistsException)) {
				throw new IllegalStateException("creating topic " + topic + " failed", ex.getCause());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
