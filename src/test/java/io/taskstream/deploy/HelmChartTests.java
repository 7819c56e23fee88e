package io.taskstream.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.taskstream.Commands;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static io.taskstream.deploy.ChartObjects.ROLES;
import static io.taskstream.deploy.ChartObjects.appContainer;
import static io.taskstream.deploy.ChartObjects.componentMetadata;
import static io.taskstream.deploy.ChartObjects.containers;
import static io.taskstream.deploy.ChartObjects.envOf;
import static io.taskstream.deploy.ChartObjects.podTemplates;
import static io.taskstream.deploy.ChartObjects.secretOf;
import static io.taskstream.deploy.ChartObjects.specsByName;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Helm chart, checked offline by Helm itself ({@code lint --strict}, {@code template}
 * with values.schema.json), strict Kubernetes schemas and the CRDs of Dapr, the Gateway
 * API and the Prometheus Operator; and chart unit tests over what it renders. The front
 * door is in {@link FrontDoorChartTests}, identity and network isolation in
 * {@link ChartSecurityTests}.
 */
class HelmChartTests {

	static Stream<String> valuesFiles() {
		return Chart.VALUES_FILES.stream();
	}

	// --- every values file lints, renders and validates
	// ----------------------------------

	@ParameterizedTest(name = "{0}")
	@MethodSource("valuesFiles")
	void lintsCleanly(String valuesFile) {
		Commands.Result lint = Chart.lint(valuesFile);
		assertThat(lint.exitCode()).as(lint.toString()).isZero();
		assertThat(lint.output()).contains("1 chart(s) linted, 0 chart(s) failed").doesNotContain("[WARNING]");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valuesFiles")
	void everyRenderedObjectIsValid(String valuesFile) {
		List<Manifests.Document> objects = Chart.render(valuesFile);
		assertThat(objects).extracting(Manifests.Document::kind)
			.contains("Deployment", "Service", "NetworkPolicy", "Component", "Subscription", "Configuration",
					"Resiliency");
		assertThat(KubernetesSchemas.problems(objects)).isEmpty();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valuesFiles")
	void theKafkaComponentUsesOnlyMetadataTheComponentDefines(String valuesFile) {
		JsonNode component = Chart.named(Chart.render(valuesFile), "Component", "taskstream-pubsub");
		assertThat(component.at("/spec/type").asString()).isEqualTo("pubsub.kafka");
		assertThat(DaprResources.unknownKafkaMetadata(component)).isEmpty();
	}

	// --- Deployments: Dapr annotations, security, resources
	// -----------------------------

	@ParameterizedTest(name = "{0}")
	@MethodSource("valuesFiles")
	void everyRoleRunsWithItsSidecarAnnotated(String valuesFile) {
		List<Manifests.Document> objects = Chart.render(valuesFile);
		for (String role : ROLES) {
			JsonNode annotations = Chart.named(objects, "Deployment", "taskstream-" + role)
				.at("/spec/template/metadata/annotations");
			assertThat(annotations.path("dapr.io/enabled").asString()).isEqualTo("true");
			assertThat(annotations.path("dapr.io/app-id").asString()).isEqualTo(role);
			assertThat(annotations.path("dapr.io/app-port").asString()).isEqualTo("8080");
			assertThat(annotations.path("dapr.io/app-protocol").asString()).isEqualTo("http");
			assertThat(annotations.path("dapr.io/config").asString()).isEqualTo("taskstream");
			assertThat(annotations.path("dapr.io/enable-metrics").asString()).isEqualTo("true");
			// not 9090: that is the app's management port, in the same pod
			assertThat(annotations.path("dapr.io/metrics-port").asString()).isEqualTo("9091");
			assertThat(annotations.path("dapr.io/graceful-shutdown-seconds").asString()).isEqualTo("20");
			assertThat(annotations.path("dapr.io/sidecar-memory-limit").asString()).isEqualTo("256Mi");
			assertThat(annotations.path("dapr.io/sidecar-cpu-request").asString()).isEqualTo("100m");
			if (!valuesFile.equals("values-dev.yaml")) {
				assertThat(annotations.path("dapr.io/app-token-secret").asString()).isEqualTo("taskstream-app-token");
				assertThat(annotations.path("dapr.io/api-token-secret").asString())
					.isEqualTo("taskstream-dapr-api-token");
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valuesFiles")
	void everyDaprAnnotationIsOneTheSidecarInjectorReads(String valuesFile) {
		Set<String> known = DaprResources.injectorAnnotations();
		Chart.render(valuesFile)
			.stream()
			.map((document) -> document.node().at("/spec/template/metadata/annotations"))
			.forEach((annotations) -> annotations.propertyNames()
				.stream()
				.filter((name) -> name.startsWith("dapr.io/"))
				.forEach((name) -> assertThat(known).as(name).contains(name)));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valuesFiles")
	void everyPodRunsNonRootWithAReadOnlyRootAndNoCapabilities(String valuesFile) {
		List<JsonNode> pods = podTemplates(Chart.render(valuesFile));
		assertThat(pods).isNotEmpty();
		for (JsonNode pod : pods) {
			assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
			assertThat(pod.at("/securityContext/seccompProfile/type").asString()).isEqualTo("RuntimeDefault");
			for (JsonNode container : containers(pod)) {
				JsonNode security = container.path("securityContext");
				assertThat(security.path("readOnlyRootFilesystem").asBoolean()).as(container.path("name").asString())
					.isTrue();
				assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
				assertThat(security.at("/capabilities/drop").toString()).isEqualTo("[\"ALL\"]");
				assertThat(container.at("/resources/requests/cpu").isMissingNode()).isFalse();
				assertThat(container.at("/resources/requests/memory").isMissingNode()).isFalse();
				assertThat(container.at("/resources/limits/memory").isMissingNode()).isFalse();
			}
		}
	}

	// --- Kafka auth per cloud ----------------------------------------------------------

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

	@Test
	void theChartsDaprResourcesAreTheLocalStacksOnes() {
		List<Manifests.Document> chart = Chart.render("values-dev.yaml");
		List<Manifests.Document> local = Manifests.documents(Path.of("components"), Path.of("dapr-config"));
		assertThat(specsByName(local, "Subscription")).hasSize(16);
		for (String kind : List.of("Subscription", "Resiliency", "Configuration")) {
			assertThat(specsByName(chart, kind)).as(kind).isEqualTo(specsByName(local, kind));
		}
		// the same component, but for where the brokers are and whether they speak TLS
		Map<String, JsonNode> chartMetadata = componentMetadata(chart);
		Map<String, JsonNode> localMetadata = componentMetadata(local);
		for (String differs : List.of("brokers", "disableTls")) {
			chartMetadata.remove(differs);
			localMetadata.remove(differs);
		}
		assertThat(chartMetadata).isEqualTo(localMetadata);
	}

	// --- HPA, PDB, monitoring ----------------------------------------------------------

	@Test
	void autoscalingAndDisruptionBudgetsFollowTheirToggles() {
		List<Manifests.Document> cloud = Chart.render("values-eks.yaml");
		assertThat(Chart.ofKind(cloud, "HorizontalPodAutoscaler")).hasSize(4).allSatisfy((hpa) -> {
			assertThat(hpa.at("/spec/metrics/0/resource/target/averageUtilization").asInt()).isEqualTo(70);
			assertThat(hpa.at("/spec/minReplicas").asInt()).isPositive();
		});
		assertThat(Chart.named(cloud, "HorizontalPodAutoscaler", "taskstream-tasks").at("/spec/maxReplicas").asInt())
			.isEqualTo(6);
		assertThat(Chart.named(cloud, "Deployment", "taskstream-tasks").at("/spec/replicas").isMissingNode()).isTrue();
		assertThat(Chart.ofKind(cloud, "PodDisruptionBudget")).hasSize(4)
			.allSatisfy((pdb) -> assertThat(pdb.at("/spec/maxUnavailable").asInt()).isEqualTo(1));

		List<Manifests.Document> toggled = Chart.render("values-eks.yaml", "--set",
				"roles.audit.autoscaling.enabled=false", "--set", "roles.audit.replicas=3", "--set",
				"podDisruptionBudget.enabled=false");
		assertThat(Chart.ofKind(toggled, "HorizontalPodAutoscaler")).hasSize(3);
		assertThat(Chart.named(toggled, "Deployment", "taskstream-audit").at("/spec/replicas").asInt()).isEqualTo(3);
		assertThat(Chart.ofKind(toggled, "PodDisruptionBudget")).isEmpty();
	}

	@Test
	void aDisabledRoleIsLeftOutEverywhere() {
		List<Manifests.Document> objects = Chart.render("values-eks.yaml", "--set",
				"roles.notifications.enabled=false");
		assertThat(objects).extracting(Manifests.Document::name).doesNotContain("taskstream-notifications");
		assertThat(objects.stream().filter((o) -> o.kind().equals("Subscription")))
			.noneSatisfy((s) -> assertThat(s.name()).startsWith("notifications-"));
		assertThat(Chart.named(objects, "Component", "taskstream-pubsub").path("scopes").toString())
			.doesNotContain("notifications");
	}

	@Test
	void thePrometheusRuleCarriesTheAlertRulesOfTheRepository() throws Exception {
		JsonNode rule = Chart.named(Chart.render("values-eks.yaml"), "PrometheusRule", "taskstream");
		JsonNode file = Manifests.yaml.readTree(Path.of("observability/prometheus-rules.yaml").toFile());
		assertThat(rule.path("spec")).isEqualTo(file);
		assertThat(rule.at("/metadata/labels/release").asString()).isEqualTo("kube-prometheus-stack");
		assertThat(Chart.named(Chart.render("values-eks.yaml"), "ServiceMonitor", "taskstream")
			.at("/spec/endpoints")
			.toString()).contains("/actuator/prometheus").contains("dapr-metrics");
		assertThat(Chart.render("values-dev.yaml")).extracting(Manifests.Document::kind)
			.doesNotContain("PrometheusRule", "ServiceMonitor");
	}

	// --- what must fail, fails ---------------------------------------------------------

	@Test
	void withoutTheDaprCrdsTheInstallFailsWithAClearMessage() {
		Commands.Result result = Chart.templateOn(List.of(), "values-dev.yaml");
		assertThat(result.exitCode()).isNotZero();
		assertThat(result.errors()).contains("The Dapr CRDs are not installed on this cluster")
			.contains("helm upgrade --install dapr dapr/dapr");
	}

	@Test
	void monitoringWithoutThePrometheusOperatorFailsWithAClearMessage() {
		Commands.Result result = Chart.templateOn(Chart.CLUSTER_APIS.subList(0, 4), "values-eks.yaml");
		assertThat(result.exitCode()).isNotZero();
		assertThat(result.errors()).contains("needs the Prometheus Operator's CRDs");
	}

	@Test
	void missingRequiredValuesFailWithTheirName() {
		assertThat(Chart.template(null).errors()).contains("/identity/issuerUri", "/identity/audiences",
				"/frontDoor/host");
		assertThat(Chart
			.template(null, "--set", "identity.issuerUri=https://issuer.example.com", "--set",
					"identity.audiences={taskstream}", "--set", "frontDoor.enabled=false")
			.errors()).contains("roles.tasks.database.url is required");
		assertThat(Chart.template("values-eks.yaml", "--set", "kafka.brokers=").errors())
			.contains("kafka.brokers is required when kafka.mode is external");
		assertThat(Chart.template("values-eks.yaml", "--set", "kafka.auth.awsRegion=").errors())
			.contains("kafka.auth.awsRegion is required");
		assertThat(Chart.template("values-aks.yaml", "--set", "kafka.auth.existingSecret=").errors())
			.contains("kafka.auth.existingSecret is required for authType password");
		assertThat(Chart.template("values-eks.yaml", "--set", "roles.audit.database.existingSecret=").errors())
			.contains("roles.audit.database.existingSecret is required");
		assertThat(Chart.template("values-eks.yaml", "--set", "roles.tasks.autoscaling.minReplicas=9").errors())
			.contains("minReplicas (9) is above maxReplicas (6)");
	}

	@Test
	void theSchemaRejectsTyposWrongTypesAndUnknownChoices() {
		assertThat(Chart.template("values-eks.yaml", "--set", "kafka.auth.tpye=awsiam").errors())
			.contains("additional properties 'tpye' not allowed");
		assertThat(Chart.template("values-eks.yaml", "--set", "roles.tasks.replicas=two").errors())
			.contains("/roles/tasks/replicas");
		assertThat(Chart.template("values-eks.yaml", "--set", "kafka.auth.type=kerberos").errors())
			.contains("/kafka/auth/type");
		assertThat(Chart.template("values-eks.yaml", "--set", "dapr.tracingSamplingRate=2").errors())
			.contains("/dapr/tracingSamplingRate");
		assertThat(Chart.template("values-eks.yaml", "--set", "roles.tasks.resources.limits=null").errors())
			.contains("/roles/tasks/resources");
		assertThat(Chart.template("values-eks.yaml", "--set", "dapr.metricsPort=9090").errors())
			.contains("/dapr/metricsPort");
	}

	@Test
	void aBrokenValuesFileFailsLintAndInstall() {
		String broken = "src/test/resources/deploy/broken-values.yaml";
		Commands.Result lint = Chart.lint(broken);
		assertThat(lint.exitCode()).isNotZero();
		Commands.Result template = Chart.template(broken);
		assertThat(template.exitCode()).isNotZero();
		assertThat(template.errors()).contains("/roles/tasks/replicas", "/roles/tasks/database/url", "/kafka/mode",
				"'tpye' not allowed");
	}

	@Test
	void aBrokenManifestFailsValidation() throws Exception {
		String text = Files.readString(Path.of("src/test/resources/deploy/broken-manifest.yaml"));
		List<Manifests.Document> objects = Manifests.documents("broken-manifest.yaml", text);
		assertThat(objects).hasSize(5);
		List<String> problems = KubernetesSchemas.problems(objects);
		for (String name : List.of("Deployment broken", "Service broken", "Subscription broken",
				"PrometheusRule broken", "Widget unknown-kind")) {
			assertThat(problems).as(name).anySatisfy((problem) -> assertThat(problem).contains(name));
		}
		assertThat(problems).anySatisfy((problem) -> assertThat(problem).contains("readOnlyRootFilesytem"));
	}

}
