package io.taskstream.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a chart install trusts and who may reach what: tokens and secrets, the identity
 * provider (the dev issuer can never be turned on), the management port and the
 * NetworkPolicies around each role.
 */
class ChartSecurityTests {

	static Stream<String> valuesFiles() {
		return Chart.VALUES_FILES.stream();
	}

	@Test
	void theAppGetsTheTokensItsSidecarUses() {
		// Dapr's injector gives the tokens to the sidecar container only.
		JsonNode app = appContainer(Chart.render("values-eks.yaml"), "analytics");
		assertThat(secretOf(app, "DAPR_API_TOKEN")).isEqualTo("taskstream-dapr-api-token/token");
		assertThat(secretOf(app, "APP_API_TOKEN")).isEqualTo("taskstream-app-token/token");
		// operators are callers with a scope or role in their token, not holders of a
		// shared secret
		assertThat(app.path("env").toString()).doesNotContain("TASKSTREAM_OPERATOR_TOKEN");
		assertThat(secretOf(app, "SPRING_DATASOURCE_PASSWORD")).isEqualTo("taskstream-analytics-db/password");
		assertThat(envOf(app, "TASKSTREAM_ROLES")).isEqualTo("analytics");
		assertThat(envOf(app, "TASKSTREAM_EVENTS_TRANSPORT")).isEqualTo("dapr");
	}

	@Test
	void theRolesAreProbedOnTheActuatorGroups() {
		List<Manifests.Document> objects = Chart.render("values-gke.yaml");
		for (String role : ROLES) {
			JsonNode app = appContainer(objects, role);
			assertThat(app.at("/livenessProbe/httpGet/path").asString()).isEqualTo("/actuator/health/liveness");
			for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
				assertThat(app.at("/" + probe + "/httpGet/port").asString()).as(probe).isEqualTo("management");
			}
			assertThat(app.at("/readinessProbe/httpGet/path").asString()).isEqualTo("/actuator/health/readiness");
			assertThat(app.at("/startupProbe/httpGet/path").asString()).isEqualTo("/actuator/health/liveness");
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valuesFiles")
	void noSecretIsInline(String valuesFile) {
		List<Manifests.Document> objects = Chart.render(valuesFile);
		componentMetadata(objects).forEach((name, item) -> {
			if (Set.of("saslPassword", "clientKey", "caCert", "clientCert", "awsSecretKey").contains(name)) {
				assertThat(item.has("value")).as(name).isFalse();
			}
		});
		for (JsonNode pod : podTemplates(objects)) {
			for (JsonNode container : containers(pod)) {
				for (JsonNode env : container.path("env")) {
					String name = env.path("name").asString();
					if (name.matches(".*(PASSWORD|TOKEN|SECRET).*")) {
						assertThat(env.has("valueFrom")).as(name + " of " + container.path("name").asString()).isTrue();
					}
				}
			}
		}
	}

	@Test
	void eachRoleGetsOnlyTheTrafficItNeeds() {
		List<Manifests.Document> objects = Chart.render("values-eks.yaml");
		Map<String, String> egress = new TreeMap<>();
		for (String role : ROLES) {
			JsonNode policy = Chart.named(objects, "NetworkPolicy", "taskstream-" + role);
			assertThat(policy.at("/spec/podSelector/matchLabels/app.kubernetes.io~1component").asString())
				.isEqualTo(role);
			assertThat(policy.at("/spec/policyTypes").toString()).contains("Ingress", "Egress");
			egress.put(role, policy.at("/spec/egress").toString());
		}
		assertThat(egress.get("notifications")).contains("443");
		assertThat(egress.get("tasks")).doesNotContain("50002");
		// tasks reaches 443 only for the identity provider's JWK set, on public addresses
		JsonNode tasksEgress = Chart.named(objects, "NetworkPolicy", "taskstream-tasks").at("/spec/egress");
		List<JsonNode> https = new ArrayList<>();
		tasksEgress.forEach((rule) -> {
			if (rule.path("ports").toString().contains("443")) {
				https.add(rule);
			}
		});
		assertThat(https).singleElement().satisfies((rule) -> {
			assertThat(rule.at("/to/0/ipBlock/cidr").asString()).isEqualTo("0.0.0.0/0");
			assertThat(rule.at("/to/0/ipBlock/except").toString()).contains("10.0.0.0/8", "172.16.0.0/12",
					"192.168.0.0/16", "169.254.0.0/16");
			assertThat(rule.path("to")).hasSize(1);
		});
		assertThat(egress.get("analytics")).contains("50002").contains("\"audit\"");
		assertThat(Chart.named(objects, "NetworkPolicy", "taskstream-audit").at("/spec/ingress").toString())
			.contains("50002")
			.contains("\"analytics\"");
		// only analytics' pods reach audit's sidecar for service invocation (and audit's
		// Dapr access control then allows only the rebuild's history read)
		List<JsonNode> invocation = new ArrayList<>();
		Chart.named(objects, "NetworkPolicy", "taskstream-audit").at("/spec/ingress").forEach((rule) -> {
			if (rule.path("ports").toString().contains("50002")) {
				invocation.add(rule);
			}
		});
		assertThat(invocation).singleElement().satisfies((rule) -> {
			assertThat(rule.path("ports")).hasSize(1);
			assertThat(rule.path("from")).singleElement()
				.satisfies((
						from) -> assertThat(from.at("/podSelector/matchLabels/app.kubernetes.io~1component").asString())
							.isEqualTo("analytics"));
		});
		assertThat(egress.get("notifications")).doesNotContain("50002");
	}

	// --- identity ----------------------------------------------------------------------

	@ParameterizedTest(name = "{0}")
	@MethodSource("valuesFiles")
	void everyRoleChecksTokensOfTheConfiguredIssuerAndNeverRunsTheDevIssuer(String valuesFile) {
		List<Manifests.Document> objects = Chart.render(valuesFile);
		for (String role : ROLES) {
			JsonNode app = appContainer(objects, role);
			assertThat(envOf(app, "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI")).as(role)
				.matches("https://.+|http://[a-z0-9.-]+\\.svc\\.cluster\\.local:[0-9]+/.*");
			assertThat(envOf(app, "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_AUDIENCES")).isNotBlank();
			assertThat(envOf(app, "TASKSTREAM_IDENTITY_USER_CLAIM")).isEqualTo("sub");
			assertThat(envOf(app, "TASKSTREAM_IDENTITY_OPERATOR_SCOPE")).isEqualTo("taskstream.operator");
			assertThat(envOf(app, "TASKSTREAM_IDENTITY_ROLES_CLAIM")).isEqualTo("roles");
			assertThat(envOf(app, "TASKSTREAM_IDENTITY_DEV_ISSUER_ENABLED")).isEqualTo("false");
			assertThat(app.path("env").toString().split("DEV_ISSUER", -1)).as("one mention of the dev issuer")
				.hasSize(2);
		}
	}

	@Test
	void eachCloudTrustsItsIdentityProvider() {
		assertThat(envOf(appContainer(Chart.render("values-eks.yaml"), "tasks"),
				"SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI"))
			.startsWith("https://cognito-idp.eu-west-1.amazonaws.com/");
		assertThat(envOf(appContainer(Chart.render("values-gke.yaml"), "tasks"),
				"SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI"))
			.isEqualTo("https://accounts.google.com");
		JsonNode aks = appContainer(Chart.render("values-aks.yaml"), "audit");
		assertThat(envOf(aks, "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI"))
			.startsWith("https://login.microsoftonline.com/")
			.endsWith("/v2.0");
		assertThat(envOf(aks, "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_AUDIENCES"))
			.isEqualTo("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
		assertThat(envOf(aks, "TASKSTREAM_IDENTITY_OPERATOR_ROLE")).isEqualTo("Taskstream.Operator");

		JsonNode jwkSetOnly = appContainer(
				Chart.render("values-eks.yaml", "--set", "identity.issuerUri=", "--set",
						"identity.jwkSetUri=https://idp.example.com/keys", "--set", "identity.audiences={a,b}"),
				"tasks");
		assertThat(envOf(jwkSetOnly, "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_JWK_SET_URI"))
			.isEqualTo("https://idp.example.com/keys");
		assertThat(envOf(jwkSetOnly, "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_AUDIENCES")).isEqualTo("a,b");
		assertThat(jwkSetOnly.path("env").toString()).doesNotContain("JWT_ISSUER_URI");
	}

	@Test
	void anInstallWithoutAnIdentityProviderOrWithAPlainHttpOneFails() {
		assertThat(Chart.template("values-eks.yaml", "--set", "identity.issuerUri=").errors())
			.contains("/identity/issuerUri");
		assertThat(Chart.template("values-eks.yaml", "--set", "identity.audiences=null").errors()).contains("/identity",
				"audiences");
		assertThat(Chart.template("values-eks.yaml", "--set", "identity.audiences={}").errors())
			.contains("/identity/audiences");
		assertThat(Chart.template("values-eks.yaml", "--set", "identity.issuerUri=http://idp.example.com").errors())
			.contains("/identity/issuerUri");
		// the templates refuse too when the schema is skipped (helm
		// --skip-schema-validation)
		assertThat(
				Chart.template("values-eks.yaml", "--skip-schema-validation", "--set", "identity.issuerUri=").errors())
			.contains("identity.issuerUri (or identity.jwkSetUri) is required");
	}

	@Test
	void noValueCanTurnTheDevIssuerOn() {
		for (String attempt : List.of("identity.devIssuerEnabled=true", "identity.devIssuer.enabled=true",
				"devIssuer.enabled=true", "env.TASKSTREAM_IDENTITY_DEV_ISSUER_ENABLED=true",
				"extraEnv[0].name=TASKSTREAM_IDENTITY_DEV_ISSUER_ENABLED")) {
			Commands.Result result = Chart.template("values-dev.yaml", "--set", attempt);
			assertThat(result.exitCode()).as(attempt).isNotZero();
			assertThat(result.errors()).as(attempt).contains("not allowed");
		}
		// skipping the schema does not help: the chart pins it off whatever the values
		// say
		JsonNode app = appContainer(
				Chart.render("values-dev.yaml", "--skip-schema-validation", "--set", "identity.devIssuerEnabled=true"),
				"tasks");
		assertThat(envOf(app, "TASKSTREAM_IDENTITY_DEV_ISSUER_ENABLED")).isEqualTo("false");
	}

	@Test
	void theValuesHaveNoFreeFormPlaceAnEnvironmentVariableCouldComeFrom() throws Exception {
		// Every object of the schema is closed, but for maps of strings that the
		// templates
		// render as labels, annotations or TLS options, never as a container's
		// environment.
		JsonNode schema = Manifests.yaml.readTree(Path.of(Chart.DIR, "values.schema.json").toFile());
		List<String> open = new ArrayList<>();
		openObjects(schema, "", open);
		// global: Helm's own values for a parent chart, which no template reads
		assertThat(open).containsExactlyInAnyOrder("#/$defs/labels", "#/properties/global");
		try (Stream<Path> templates = Files.list(Path.of(Chart.DIR, "templates"))) {
			for (Path template : templates.toList()) {
				assertThat(Files.readString(template)).as(template.toString()).doesNotContain(".Values.global");
			}
		}
		String deployments = Files.readString(Path.of(Chart.DIR, "templates/deployments.yaml"));
		String env = deployments.substring(deployments.indexOf("env:"), deployments.indexOf("startupProbe:"));
		assertThat(env).doesNotContain("toYaml").doesNotContain("range");
	}

	private static void openObjects(JsonNode node, String path, List<String> open) {
		if (!node.isObject()) {
			return;
		}
		boolean describesAnObject = node.path("type").asString("").equals("object");
		if (describesAnObject && !node.path("additionalProperties").isBoolean()) {
			open.add(path);
		}
		node.properties().forEach((entry) -> {
			if (entry.getValue().isArray()) {
				for (int i = 0; i < entry.getValue().size(); i++) {
					openObjects(entry.getValue().get(i), path + "/" + entry.getKey() + "/" + i, open);
				}
			}
			else {
				openObjects(entry.getValue(), (path.isEmpty() ? "#" : path) + "/" + entry.getKey(), open);
			}
		});
	}

	// --- ports: the API, the management port, the sidecar ------------------------------

	@ParameterizedTest(name = "{0}")
	@MethodSource("valuesFiles")
	void actuatorListensOnItsOwnManagementPort(String valuesFile) {
		List<Manifests.Document> objects = Chart.render(valuesFile);
		for (String role : ROLES) {
			JsonNode app = appContainer(objects, role);
			assertThat(app.path("ports").toString()).contains("{\"name\":\"http\",\"containerPort\":8080")
				.contains("{\"name\":\"management\",\"containerPort\":9090");
			assertThat(envOf(app, "MANAGEMENT_PORT")).isEqualTo("9090");
			assertThat(Chart.named(objects, "Deployment", "taskstream-" + role)
				.at("/spec/template/metadata/annotations/dapr.io~1app-port")
				.asString()).isEqualTo("8080");
			assertThat(Chart.named(objects, "Service", "taskstream-" + role).at("/spec/ports").toString())
				.contains("\"targetPort\":\"management\"");
		}
		Chart.ofKind(objects, "ServiceMonitor")
			.forEach((monitor) -> assertThat(monitor.at("/spec/endpoints/0/port").asString()).isEqualTo("management"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valuesFiles")
	void theApiIsOpenToTheFrontDoorAndTheManagementPortToPrometheusOnly(String valuesFile) {
		List<Manifests.Document> objects = Chart.render(valuesFile);
		for (String role : ROLES) {
			JsonNode ingress = Chart.named(objects, "NetworkPolicy", "taskstream-" + role).at("/spec/ingress");
			for (JsonNode rule : ingress) {
				assertThat(rule.path("from").isArray() && !rule.path("from").isEmpty())
					.as("a rule open to anyone: " + rule)
					.isTrue();
			}
			assertThat(ingress.get(0).at("/ports").toString()).isEqualTo("[{\"port\":8080,\"protocol\":\"TCP\"}]");
			assertThat(ingress.get(1).at("/ports/0/port").asInt()).isEqualTo(9090);
			assertThat(
					ingress.get(1).at("/from/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asString())
				.isEqualTo("monitoring");
			for (int i = 2; i < ingress.size(); i++) {
				assertThat(ingress.get(i).path("ports").toString()).as(role + " rule " + i).doesNotContain("8080");
			}
		}
		JsonNode api = Chart.named(objects, "NetworkPolicy", "taskstream-tasks").at("/spec/ingress/0/from");
		switch (valuesFile) {
			case "values-dev.yaml" -> assertThat(api.toString()).contains("envoy-gateway-system");
			case "values-aks.yaml" -> assertThat(api.toString()).contains("app-routing-system");
			case "values-gke.yaml" -> assertThat(api.toString()).contains("35.191.0.0/16", "130.211.0.0/22");
			case "values-eks.yaml" -> assertThat(api.toString()).contains("\"cidr\":\"10.0.0.0/16\"");
			default -> throw new AssertionError(valuesFile);
		}
		assertThat(Chart.template(valuesFile, "--set", "networkPolicy.apiFrom={}").errors())
			.contains("/networkPolicy/apiFrom");
	}

}
