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
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

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

	/**
	 * The secured broker's credentials (made on first use), or {@code null} for a
	 * PLAINTEXT broker.
	 */
	private final Supplier<KafkaSecrets> secrets;

	StackKafka(Path state, StackPorts ports, Artifacts artifacts, Supplier<KafkaSecrets> secrets) {
		this.dir = state.resolve("kafka");
		this.ports = ports;
		this.artifacts = artifacts;
		this.secrets = secrets;
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
				Properties properties = serverProperties(this.ports, this.dir.resolve("data"));
				if (this.secrets != null) {
					properties.putAll(securedProperties(this.ports, this.secrets.get()));
				}
				properties.store(out, "Written by the Taskstream local stack");
			}
			if (this.secrets != null) {
				Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
			}
			if (!Files.exists(this.dir.resolve("data/meta.properties"))) {
				LocalStack.progress("kafka: formatting storage");
				List<String> format = new ArrayList<>(List.of("format", "-t", Uuid.randomUuid().toString(), "-c",
						config.toString(), "--ignore-formatted"));
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
		String bootstrap = "127.0.0.1:" + this.ports.kafka();
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
