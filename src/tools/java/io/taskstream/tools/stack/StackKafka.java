package io.taskstream.tools.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/** The stack's Kafka broker (KRaft, broker and controller in one JVM). */
final class StackKafka {

	private final Path dir;

	private final StackPorts ports;

	private final Artifacts artifacts;

	StackKafka(Path state, StackPorts ports, Artifacts artifacts) {
		this.dir = state.resolve("kafka");
		this.ports = ports;
		this.artifacts = artifacts;
	}

	/**
	 * The broker's command: writes its configuration and formats its storage on first
	 * use.
	 */
	List<String> command(Path formatLog) {
		Path config = this.dir.resolve("server.properties");
		try {
			Files.createDirectories(this.dir.resolve("data"));
			try (var out = Files.newBufferedWriter(config)) {
				serverProperties(this.ports, this.dir.resolve("data")).store(out,
						"Written by the Taskstream local stack");
			}
			if (!Files.exists(this.dir.resolve("data/meta.properties"))) {
				LocalStack.progress("kafka: formatting storage");
				Processes.run(
						this.artifacts.javaCommand(List.of("-Xmx256m"), "kafka.tools.StorageTool", "format", "-t",
								Uuid.randomUuid().toString(), "-c", config.toString(), "--ignore-formatted"),
						formatLog);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return this.artifacts.javaCommand(List.of("-Xmx512m", "-Xms256m"), "kafka.Kafka", config.toString());
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

	private Admin admin() {
		return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + this.ports.kafka(),
				AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
				5000));
	}

	boolean ready() {
		if (!Health.isListening(this.ports.kafka())) {
			return false;
		}
		try (Admin admin = admin()) {
			return !admin.describeCluster().nodes().get().isEmpty();
		}
		catch (ExecutionException | RuntimeException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** Creates a topic unless it exists. */
	void createTopic(String topic, int partitions) {
		try (Admin admin = admin()) {
			admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
			LocalStack.progress("kafka: created topic " + topic + " (" + partitions + " partitions)");
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
