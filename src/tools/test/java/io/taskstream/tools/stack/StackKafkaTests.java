package io.taskstream.tools.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class StackKafkaTests {

	@Test
	void aSingleNodeBrokerOnLoopbackThatCreatesNoTopicByItself() {
		Properties properties = StackKafka.serverProperties(StackPorts.forBench(), Path.of("/data"));
		assertThat(properties.getProperty("listeners"))
			.isEqualTo("PLAINTEXT://127.0.0.1:29092,CONTROLLER://127.0.0.1:29093");
		assertThat(properties.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:29093");
		assertThat(properties.getProperty("log.dirs")).isEqualTo("/data");
		assertThat(properties.getProperty("auto.create.topics.enable")).isEqualTo("false");
		assertThat(properties.getProperty("num.partitions")).isEqualTo("4");
		assertThat(properties.getProperty("offsets.topic.replication.factor")).isEqualTo("1");
	}

	@Test
	void eachNodeOfAThreeNodeClusterIsAVoterWithItsOwnListenersAndEveryWriteNeedsTwoReplicas() {
		Properties second = StackKafka.clusterProperties(StackPorts.forChaos(), 2, 3, Path.of("/data/kafka-2"));
		assertThat(second.getProperty("node.id")).isEqualTo("2");
		assertThat(second.getProperty("process.roles")).isEqualTo("broker,controller");
		assertThat(second.getProperty("controller.quorum.voters"))
			.isEqualTo("1@127.0.0.1:21093,2@127.0.0.1:21095,3@127.0.0.1:21097");
		assertThat(second.getProperty("listeners"))
			.isEqualTo("PLAINTEXT://127.0.0.1:21094,CONTROLLER://127.0.0.1:21095");
		assertThat(second.getProperty("advertised.listeners")).isEqualTo("PLAINTEXT://127.0.0.1:21094");
		assertThat(second.getProperty("log.dirs")).isEqualTo("/data/kafka-2");
		assertThat(second.getProperty("default.replication.factor")).isEqualTo("3");
		assertThat(second.getProperty("min.insync.replicas")).isEqualTo("2");
		assertThat(second.getProperty("offsets.topic.replication.factor")).isEqualTo("3");
		assertThat(second.getProperty("transaction.state.log.min.isr")).isEqualTo("2");
		assertThat(second.getProperty("unclean.leader.election.enable")).isEqualTo("false");
		assertThat(second.getProperty("num.partitions")).isEqualTo("6");
		assertThat(second.getProperty("auto.create.topics.enable")).isEqualTo("false");
	}

	@Test
	void theSidecarsAndClientsBootstrapFromEveryNode(@TempDir Path state) {
		StackKafka cluster = new StackKafka(state, StackPorts.forChaos(), null, null, 3);
		assertThat(cluster.bootstrap()).isEqualTo("127.0.0.1:21092,127.0.0.1:21094,127.0.0.1:21096");
		assertThat(cluster.partNames()).containsExactly("kafka-1", "kafka-2", "kafka-3");
		assertThat(cluster.node("kafka-2")).isEqualTo(2);
		assertThat(cluster.node("kafka")).isZero();
		StackKafka single = new StackKafka(state, StackPorts.forChaos(), null, null);
		assertThat(single.bootstrap()).isEqualTo("127.0.0.1:21092");
		assertThat(single.partNames()).containsExactly("kafka");
	}

	@Test
	void theSecuredBrokerTakesOnlyScramOverTlsFromClientsCertificatesOnTheControllerAndDeniesByDefault(
			@TempDir Path state) throws Exception {
		KafkaSecrets secrets = KafkaSecrets.in(state);
		Properties properties = StackKafka.securedProperties(StackPorts.forSecureTests(), secrets);
		assertThat(properties.getProperty("listeners"))
			.isEqualTo("CLIENT://127.0.0.1:14092,CONTROLLER://127.0.0.1:14093");
		assertThat(properties.getProperty("listener.security.protocol.map"))
			.isEqualTo("CLIENT:SASL_SSL,CONTROLLER:SSL");
		assertThat(properties.getProperty("sasl.enabled.mechanisms")).isEqualTo("SCRAM-SHA-512");
		assertThat(properties.getProperty("listener.name.controller.ssl.client.auth")).isEqualTo("required");
		assertThat(properties.getProperty("allow.everyone.if.no.acl.found")).isEqualTo("false");
		assertThat(properties.getProperty("super.users")).isEqualTo("User:kafka-broker");

		// the broker's certificate is signed by the local CA, for 127.0.0.1, and its CN
		// is
		// the super user
		KeyStore store = KeyStore.getInstance(secrets.keyStore().toFile(), secrets.storePassword().toCharArray());
		X509Certificate broker = (X509Certificate) store.getCertificate("broker");
		assertThat(broker.getSubjectX500Principal().getName()).isEqualTo("CN=kafka-broker");
		assertThat(broker.getIssuerX500Principal().getName()).isEqualTo("CN=taskstream-local-ca");
		assertThat(broker.getSubjectAlternativeNames().toString()).contains("127.0.0.1").contains("localhost");
		assertThat(Files.readString(secrets.caCertificate())).startsWith("-----BEGIN CERTIFICATE-----");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("kafka/secrets"))))
			.isEqualTo("rwx------");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("kafka/secrets/ca.p12"))))
			.isEqualTo("rw-------");
		// made once: a second look reads the same passwords
		assertThat(KafkaSecrets.in(state).password("tasks")).isEqualTo(secrets.password("tasks"))
			.hasSize(48)
			.isNotEqualTo(secrets.password("audit"));
	}

}
