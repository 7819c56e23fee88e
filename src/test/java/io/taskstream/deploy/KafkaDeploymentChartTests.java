package io.taskstream.deploy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.taskstream.deploy.ChartObjects.ROLES;
import static io.taskstream.deploy.ChartObjects.appContainer;
import static io.taskstream.deploy.ChartObjects.componentMetadata;
import static io.taskstream.deploy.ChartObjects.containers;
import static io.taskstream.deploy.ChartObjects.envOf;
import static io.taskstream.deploy.ChartObjects.secretOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the chart connects to Kafka on each cloud (MSK IAM, Event Hubs, SCRAM, mTLS) and in
 * the dev values (an in-chart KRaft cluster of one or three nodes): credentials only ever
 * from Secrets or the pod's identity.
 */
class KafkaDeploymentChartTests {

	@Test
	void eksUsesMskIamWithThePodsIdentity() {
		List<Manifests.Document> objects = Chart.render("values-eks.yaml");
		Map<String, JsonNode> metadata = componentMetadata(objects);
		assertThat(metadata.get("authType").path("value").asString()).isEqualTo("awsiam");
		assertThat(metadata.get("region").path("value").asString()).isEqualTo("eu-west-1");
		assertThat(metadata.get("disableTls").path("value").asString()).isEqualTo("false");
		assertThat(metadata.get("brokers").path("value").asString()).contains(":9098");
		assertThat(metadata).doesNotContainKeys("saslPassword", "awsSecretKey", "awsAccessKey");
		// each role its own service account, hence its own IAM role
		// (KafkaAccessChartTests)
		for (String role : ROLES) {
			assertThat(Chart.named(objects, "Deployment", "taskstream-" + role)
				.at("/spec/template/spec/serviceAccountName")
				.asString()).isEqualTo("taskstream-" + role);
			assertThat(Chart.named(objects, "ServiceAccount", "taskstream-" + role)
				.at("/metadata/annotations/eks.amazonaws.com~1role-arn")
				.asString()).isEqualTo("arn:aws:iam::123456789012:role/taskstream-" + role);
		}
	}

	@Test
	void aksUsesEventHubsConnectionStringFromASecret() {
		Map<String, JsonNode> metadata = componentMetadata(Chart.render("values-aks.yaml"));
		assertThat(metadata.get("authType").path("value").asString()).isEqualTo("password");
		assertThat(metadata.get("saslUsername").path("value").asString()).isEqualTo("$ConnectionString");
		assertThat(metadata.get("saslMechanism").path("value").asString()).isEqualTo("PLAIN");
		assertThat(metadata.get("saslPassword").path("value").isMissingNode()).isTrue();
		assertThat(metadata.get("saslPassword").at("/secretKeyRef/name").asString()).isEqualTo("taskstream-eventhubs");
		assertThat(metadata.get("saslPassword").at("/secretKeyRef/key").asString()).isEqualTo("connectionString");
		assertThat(metadata.get("brokers").path("value").asString()).endsWith(".servicebus.windows.net:9093");
	}

	@Test
	void gkeUsesScramFromASecret() {
		Map<String, JsonNode> metadata = componentMetadata(Chart.render("values-gke.yaml"));
		assertThat(metadata.get("authType").path("value").asString()).isEqualTo("password");
		assertThat(metadata.get("saslMechanism").path("value").asString()).isEqualTo("SHA-512");
		// one user per role (KafkaAccessChartTests), its password never a value
		assertThat(metadata.get("saslPassword").path("envRef").asString()).isEqualTo("KAFKA_SASL_PASSWORD");
		Map<String, JsonNode> shared = componentMetadata(Chart.render("values-gke.yaml", "--set",
				"kafka.auth.perAppUsers=false", "--set", "kafka.auth.saslUsername=taskstream", "--set",
				"kafka.auth.existingSecret=taskstream-kafka-user"));
		assertThat(shared.get("saslPassword").at("/secretKeyRef/name").asString()).isEqualTo("taskstream-kafka-user");
	}

	@Test
	void mtlsTakesEveryCertificateAndTheKeyFromASecret() {
		Map<String, JsonNode> metadata = componentMetadata(Chart.render("values-gke.yaml", "--set",
				"kafka.auth.type=mtls", "--set", "kafka.auth.existingSecret=taskstream-kafka-tls", "--set",
				// mtls takes the CA from its own Secret, not from kafka.caCert
				"kafka.caCert.existingSecret=", "--set", "kafka.auth.perAppUsers=false"));
		assertThat(metadata.get("authType").path("value").asString()).isEqualTo("mtls");
		for (String name : List.of("caCert", "clientCert", "clientKey")) {
			assertThat(metadata.get(name).path("value").isMissingNode()).as(name).isTrue();
			assertThat(metadata.get(name).at("/secretKeyRef/name").asString()).isEqualTo("taskstream-kafka-tls");
		}
		assertThat(metadata).doesNotContainKeys("saslUsername", "saslPassword");
	}

	@Test
	void theCloudValuesUseExternalKafkaAndDatabasesOnly() {
		for (String valuesFile : List.of("values-eks.yaml", "values-gke.yaml", "values-aks.yaml")) {
			List<Manifests.Document> objects = Chart.render(valuesFile);
			assertThat(objects).as(valuesFile)
				.extracting(Manifests.Document::kind)
				.doesNotContain("StatefulSet", "Secret");
			for (String role : ROLES) {
				assertThat(envOf(appContainer(objects, role), "SPRING_DATASOURCE_URL")).as(valuesFile + " " + role)
					.startsWith("jdbc:postgresql://")
					.doesNotContain("taskstream-postgresql");
				assertThat(secretOf(appContainer(objects, role), "SPRING_DATASOURCE_USERNAME"))
					.isEqualTo("taskstream-" + role + "-db/username");
			}
		}
	}

	@Test
	void theDevValuesRunKafkaZipkinAndPostgresqlInTheChart() {
		List<Manifests.Document> objects = Chart.render("values-dev.yaml");
		JsonNode kafka = Chart.named(objects, "StatefulSet", "taskstream-kafka");
		assertThat(kafka.at("/spec/replicas").asInt()).isEqualTo(1);
		assertThat(kafka.at("/spec/template/spec/containers/0/image").asString()).startsWith("apache/kafka:");
		Map<String, JsonNode> metadata = componentMetadata(objects);
		assertThat(metadata.get("authType").path("value").asString()).isEqualTo("none");
		assertThat(metadata.get("brokers").path("value").asString())
			.isEqualTo("taskstream-kafka-0.taskstream-kafka-headless.taskstream.svc.cluster.local:9092");
		assertThat(Chart.named(objects, "Configuration", "taskstream")
			.at("/spec/tracing/zipkin/endpointAddress")
			.asString()).isEqualTo("http://taskstream-zipkin.taskstream.svc.cluster.local:9411/api/v2/spans");
		assertThat(envOf(appContainer(objects, "tasks"), "SPRING_DATASOURCE_URL"))
			.isEqualTo("jdbc:postgresql://taskstream-postgresql:5432/taskstream");
	}

	@Test
	void aThreeNodeKafkaHasThreeVotersAndTwoInSyncReplicas() {
		List<Manifests.Document> objects = Chart.render("values-dev.yaml", "--set", "kafka.inChart.replicas=3");
		JsonNode kafka = appContainer(objects, "kafka", "StatefulSet");
		assertThat(envOf(kafka, "KAFKA_CONTROLLER_QUORUM_VOTERS").split(",")).hasSize(3)
			.allSatisfy((voter) -> assertThat(voter).matches("[0-2]@taskstream-kafka-[0-2]\\..*:9093"));
		assertThat(envOf(kafka, "KAFKA_MIN_INSYNC_REPLICAS")).isEqualTo("2");
		assertThat(componentMetadata(objects).get("brokers").path("value").asString().split(",")).hasSize(3);
		// the node id is the pod's ordinal
		assertThat(kafka.path("command").get(2).asString()).contains("KAFKA_NODE_ID=\"${HOSTNAME##*-}\"");
	}

}
