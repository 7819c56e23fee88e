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
import tools.jackson.databind.node.ObjectNode;

import static io.taskstream.deploy.ChartObjects.ROLES;
import static io.taskstream.deploy.ChartObjects.appContainer;
import static io.taskstream.deploy.ChartObjects.componentMetadata;
import static io.taskstream.deploy.ChartObjects.containers;
import static io.taskstream.deploy.ChartObjects.envOf;
import static io.taskstream.deploy.ChartObjects.podTemplates;
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
			// audit's sidecar loads its own Configuration (the access-control policy)
			assertThat(annotations.path("dapr.io/config").asString())
				.isEqualTo(role.equals("audit") ? "taskstream-audit" : "taskstream");
			// one service name per role in traces: the app's name is the sidecar's app-id
			assertThat(envOf(appContainer(objects, role), "SPRING_APPLICATION_NAME")).isEqualTo(role);
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
	void theChartsDaprResourcesAreTheLocalStacksOnes() {
		List<Manifests.Document> chart = Chart.render("values-dev.yaml");
		List<Manifests.Document> local = Manifests.documents(Path.of("components"), Path.of("dapr-config"));
		assertThat(specsByName(local, "Subscription")).hasSize(16);
		for (String kind : List.of("Subscription", "Resiliency")) {
			assertThat(specsByName(chart, kind)).as(kind).isEqualTo(specsByName(local, kind));
		}
		// The one deliberate difference: the chart gives audit its own Configuration, the
		// shared one plus accessControl. The local stack has none, because its daprd runs
		// without sentry and an ACL cannot verify any caller there
		// (dapr-config/config.yaml).
		Map<String, JsonNode> chartConfigurations = specsByName(chart, "Configuration");
		JsonNode audit = chartConfigurations.remove("taskstream-audit");
		assertThat(chartConfigurations).isEqualTo(specsByName(local, "Configuration"));
		ObjectNode auditWithoutAcl = (ObjectNode) audit.path("spec").deepCopy();
		auditWithoutAcl.remove("accessControl");
		assertThat(auditWithoutAcl).isEqualTo(chartConfigurations.get("taskstream").path("spec"));
		assertThat(specsByName(local, "Configuration").values()).allSatisfy(
				(configuration) -> assertThat(configuration.at("/spec/accessControl").isMissingNode()).isTrue());
		// the same component, but for where the brokers are and whether they speak TLS
		Map<String, JsonNode> chartMetadata = componentMetadata(chart);
		Map<String, JsonNode> localMetadata = componentMetadata(local);
		for (String differs : List.of("brokers", "disableTls")) {
			chartMetadata.remove(differs);
			localMetadata.remove(differs);
		}
		assertThat(chartMetadata).isEqualTo(localMetadata);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valuesFiles")
	void onlyAnalyticsMayInvokeAuditAndOnlyForTheRebuildsHistoryRead(String valuesFile) {
		List<Manifests.Document> objects = Chart.render(valuesFile);
		JsonNode audit = Chart.named(objects, "Configuration", "taskstream-audit");
		assertThat(DaprResources.validate(audit)).isEmpty();
		JsonNode acl = audit.at("/spec/accessControl");
		assertThat(acl.path("defaultAction").asString()).isEqualTo("deny");
		assertThat(acl.path("trustDomain").asString()).isEqualTo("public");
		assertThat(acl.path("policies")).singleElement().satisfies((policy) -> {
			assertThat(policy.path("appId").asString()).isEqualTo("analytics");
			assertThat(policy.path("defaultAction").asString()).isEqualTo("deny");
			assertThat(policy.path("namespace").asString()).isEqualTo("taskstream");
			// the path AnalyticsRebuild invokes:
			// /v1.0/invoke/audit/method/api/v1/replay/history
			assertThat(policy.path("operations")).singleElement().satisfies((operation) -> {
				assertThat(operation.path("name").asString()).isEqualTo("/api/v1/replay/history");
				assertThat(operation.path("httpVerb").toString()).isEqualTo("[\"GET\"]");
				assertThat(operation.path("action").asString()).isEqualTo("allow");
			});
		});
		// the shared Configuration, which every other role loads, restricts nobody
		assertThat(Chart.named(objects, "Configuration", "taskstream").at("/spec/accessControl").isMissingNode())
			.isTrue();
	}

	@Test
	void theAccessControlPolicyFollowsTheReleaseNamespaceAndAudit() {
		List<Manifests.Document> elsewhere = Chart.render("values-eks.yaml", "--namespace", "tenant-a");
		assertThat(Chart.named(elsewhere, "Configuration", "taskstream-audit")
			.at("/spec/accessControl/policies/0/namespace")
			.asString()).isEqualTo("tenant-a");
		List<Manifests.Document> withoutAudit = Chart.render("values-eks.yaml", "--set", "roles.audit.enabled=false");
		assertThat(withoutAudit.stream().filter((o) -> o.kind().equals("Configuration")))
			.extracting(Manifests.Document::name)
			.containsExactly("taskstream");
	}

	@Test
	void aMisspelledAccessControlFieldIsRejectedByDaprsCrd() {
		JsonNode broken = Manifests.documents("broken", """
				apiVersion: dapr.io/v1alpha1
				kind: Configuration
				metadata:
				  name: broken
				spec:
				  accessControl:
				    defaultAction: deny
				    policies:
				      - appId: analytics
				        operations:
				          - name: /api/v1/replay/history
				            httpVerbs: [GET]
				            action: allow
				""").get(0).node();
		assertThat(DaprResources.validate(broken)).isNotEmpty()
			.anySatisfy((problem) -> assertThat(problem).contains("httpVerbs"));
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
