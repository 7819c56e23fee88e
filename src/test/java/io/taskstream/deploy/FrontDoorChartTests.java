package io.taskstream.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static io.taskstream.deploy.ChartObjects.ROLES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The one public entry point: every Service is ClusterIP, and one TLS front door (Gateway
 * API HTTPRoute, or Ingress) routes each {@code /api/v1} prefix to the role whose
 * controllers serve it, and nothing else; each cloud's values configure its load balancer
 * so that Server-Sent Events streams survive it.
 */
class FrontDoorChartTests {

	static Stream<String> valuesFiles() {
		return Chart.VALUES_FILES.stream();
	}

	/** A route of the front door: a path prefix to a role's Service. */
	record Route(String path, String role, boolean stream) {
	}

	// --- nothing but the front door is public ------------------------------------------

	@ParameterizedTest(name = "{0}")
	@MethodSource("valuesFiles")
	void everyServiceIsClusterIp(String valuesFile) {
		List<Manifests.Document> objects = Chart.render(valuesFile);
		assertThat(Chart.ofKind(objects, "Service")).isNotEmpty()
			.allSatisfy((service) -> assertThat(service.at("/spec/type").asString("ClusterIP"))
				.as(service.at("/metadata/name").asString())
				.isEqualTo("ClusterIP"));
		assertThat(Chart.template(valuesFile, "--set", "service.type=LoadBalancer").errors())
			.contains("additional properties 'service' not allowed");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valuesFiles")
	void theFrontDoorRoutesOnlyTheApiToTheApiPort(String valuesFile) {
		List<Route> routes = routes(Chart.render(valuesFile));
		assertThat(routes).isNotEmpty();
		for (Route route : routes) {
			if (!route.path().equals(CONTRACTS)) {
				assertThat(route.path()).startsWith("/api/v1/").doesNotContain("actuator", "dapr", "dev");
			}
		}
		assertThat(routes).extracting(Route::path).doesNotContain("/v3/api-docs", "/swagger-ui.html", "/swagger-ui");
		for (JsonNode backend : backends(Chart.render(valuesFile))) {
			assertThat(backend.toString()).as("the API port of the Service, never management or a sidecar's")
				.isIn("{\"name\":\"http\"}", "80");
		}
	}

	/**
	 * The one route that is not a controller's: the public contract documents, files of
	 * src/main/resources/schemas/ that every role serves (ContractsConfiguration), routed
	 * to tasks. OpenAPI and Swagger UI stay unrouted: each role documents its own API.
	 */
	static final String CONTRACTS = "/schemas";

	@Test
	void theRouteTableIsTheControllersOne() throws Exception {
		List<ControllerEndpoints.Endpoint> endpoints = new ArrayList<>(ControllerEndpoints.all());
		try (Stream<Path> documents = Files.list(Path.of("src/main/resources/schemas"))) {
			documents.forEach((document) -> endpoints
				.add(new ControllerEndpoints.Endpoint(CONTRACTS + "/" + document.getFileName(), "tasks", false)));
		}
		assertThat(endpoints).extracting(ControllerEndpoints.Endpoint::path)
			.contains(CONTRACTS + "/task-event.v1.schema.json", CONTRACTS + "/asyncapi.yaml");
		assertThat(endpoints).extracting(ControllerEndpoints.Endpoint::role).containsAll(ROLES);
		assertThat(endpoints).filteredOn(ControllerEndpoints.Endpoint::stream)
			.extracting(ControllerEndpoints.Endpoint::path)
			.containsExactlyInAnyOrder("/api/v1/events/stream", "/api/v1/notifications/stream");
		List<Route> routes = routes(Chart.render("values-dev.yaml"));
		for (ControllerEndpoints.Endpoint endpoint : endpoints) {
			Route route = longestMatch(routes, endpoint.path())
				.orElseThrow(() -> new AssertionError("no route to " + endpoint));
			assertThat(route.role()).as(endpoint.path()).isEqualTo(endpoint.role());
			assertThat(route.stream()).as(endpoint.path() + " streams").isEqualTo(endpoint.stream());
		}
		for (Route route : routes) {
			assertThat(endpoints).as("an endpoint behind " + route)
				.anySatisfy((endpoint) -> assertThat(longestMatch(routes, endpoint.path())).contains(route));
		}
	}

	@Test
	void httpRouteAndIngressRenderTheSameTable() {
		List<Route> httpRoute = routes(Chart.render("values-dev.yaml"));
		List<Route> ingress = routes(Chart.render("values-dev.yaml", "--set", "frontDoor.kind=Ingress", "--set",
				"frontDoor.ingress.className=nginx", "--set", "frontDoor.ingress.tlsSecretName=taskstream-dev-tls"));
		assertThat(ingress).extracting(Route::path, Route::role)
			.containsExactlyElementsOf(httpRoute.stream().map((r) -> tuple(r.path(), r.role())).toList());
		for (String valuesFile : Chart.VALUES_FILES) {
			assertThat(routes(Chart.render(valuesFile))).extracting(Route::path, Route::role)
				.as(valuesFile)
				.containsExactlyElementsOf(httpRoute.stream().map((r) -> tuple(r.path(), r.role())).toList());
		}
	}

	@Test
	void aDisabledRoleHasNoRoutes() {
		List<Route> routes = routes(Chart.render("values-aks.yaml", "--set", "roles.notifications.enabled=false"));
		assertThat(routes).extracting(Route::role).doesNotContain("notifications").contains("tasks", "audit");
		List<Manifests.Document> gke = Chart.render("values-gke.yaml", "--set", "roles.audit.enabled=false");
		assertThat(routes(gke)).extracting(Route::role).doesNotContain("audit");
		assertThat(Chart.ofKind(gke, "GCPBackendPolicy")).hasSize(3);
	}

	// --- per cloud: TLS, the load balancer, streams that survive it
	// ---------------------

	@Test
	void devUsesAnHttpsGatewayAndStreamsGetTheLongTimeout() {
		List<Manifests.Document> objects = Chart.render("values-dev.yaml");
		JsonNode gateway = Chart.named(objects, "Gateway", "taskstream");
		assertThat(gateway.at("/spec/gatewayClassName").asString()).isEqualTo("eg");
		assertThat(gateway.at("/spec/listeners")).singleElement().satisfies((listener) -> {
			assertThat(listener.path("protocol").asString()).isEqualTo("HTTPS");
			assertThat(listener.at("/tls/certificateRefs/0/name").asString()).isEqualTo("taskstream-dev-tls");
		});
		JsonNode route = Chart.named(objects, "HTTPRoute", "taskstream");
		assertThat(route.at("/spec/parentRefs/0/name").asString()).isEqualTo("taskstream");
		assertThat(route.at("/spec/hostnames/0").asString()).isEqualTo("taskstream.localtest.me");
		for (JsonNode rule : route.at("/spec/rules")) {
			String path = rule.at("/matches/0/path/value").asString();
			assertThat(rule.at("/timeouts/request").asString()).as(path)
				.isEqualTo(path.endsWith("/stream") ? "3600s" : "60s");
		}
		List<Manifests.Document> shared = Chart.render("values-dev.yaml", "--set", "frontDoor.gateway.create=false",
				"--set", "frontDoor.httpRoute.parentRefs[0].name=shared", "--set",
				"frontDoor.httpRoute.parentRefs[0].namespace=gateway-system");
		assertThat(shared).extracting(Manifests.Document::kind).doesNotContain("Gateway");
		assertThat(Chart.named(shared, "HTTPRoute", "taskstream").at("/spec/parentRefs").toString())
			.isEqualTo("[{\"name\":\"shared\",\"namespace\":\"gateway-system\"}]");
	}

	@Test
	void eksUsesAnAlbWithAnAcmCertificateAndAnIdleTimeoutLongerThanAStream() {
		JsonNode ingress = Chart.named(Chart.render("values-eks.yaml"), "Ingress", "taskstream");
		assertThat(ingress.at("/spec/ingressClassName").asString()).isEqualTo("alb");
		JsonNode annotations = ingress.at("/metadata/annotations");
		assertThat(annotations.path("alb.ingress.kubernetes.io/certificate-arn").asString()).startsWith("arn:aws:acm:");
		assertThat(annotations.path("alb.ingress.kubernetes.io/listen-ports").asString())
			.isEqualTo("[{\"HTTPS\":443}]");
		assertThat(annotations.path("alb.ingress.kubernetes.io/scheme").asString()).isEqualTo("internet-facing");
		assertThat(annotations.path("alb.ingress.kubernetes.io/target-type").asString()).isEqualTo("ip");
		assertThat(annotations.path("alb.ingress.kubernetes.io/load-balancer-attributes").asString())
			.isEqualTo("idle_timeout.timeout_seconds=3600");
		assertThat(annotations.path("alb.ingress.kubernetes.io/healthcheck-port").asString()).isEqualTo("9090");
		assertThat(annotations.path("alb.ingress.kubernetes.io/healthcheck-path").asString())
			.isEqualTo("/actuator/health/readiness");
		assertThat(ingress.at("/spec/rules/0/host").asString()).isEqualTo("taskstream.example.com");
	}

	@Test
	void gkeUsesAGkeGatewayWithAManagedCertificateAndALongBackendTimeout() {
		List<Manifests.Document> objects = Chart.render("values-gke.yaml");
		JsonNode gateway = Chart.named(objects, "Gateway", "taskstream");
		assertThat(gateway.at("/spec/gatewayClassName").asString()).isEqualTo("gke-l7-global-external-managed");
		assertThat(gateway.at("/spec/listeners")).singleElement().satisfies((listener) -> {
			assertThat(listener.path("protocol").asString()).isEqualTo("HTTPS");
			assertThat(listener.at("/port").asInt()).isEqualTo(443);
			assertThat(listener.at("/tls/options/networking.gke.io~1pre-shared-certs").asString())
				.isEqualTo("taskstream-cert");
		});
		// GKE reads the timeout from GCPBackendPolicy; its default 30 s would end every
		// stream
		for (String role : ROLES) {
			JsonNode policy = Chart.named(objects, "GCPBackendPolicy", "taskstream-" + role);
			assertThat(policy.at("/spec/targetRef").toString())
				.isEqualTo("{\"group\":\"\",\"kind\":\"Service\",\"name\":\"taskstream-" + role + "\"}");
			assertThat(policy.at("/spec/default/timeoutSec").asInt()).as(role)
				.isEqualTo(List.of("audit", "notifications").contains(role) ? 3600 : 60);
			JsonNode health = Chart.named(objects, "HealthCheckPolicy", "taskstream-" + role);
			assertThat(health.at("/spec/default/config/type").asString()).isEqualTo("HTTP");
			assertThat(health.at("/spec/default/config/httpHealthCheck/port").asInt()).isEqualTo(9090);
			assertThat(health.at("/spec/default/config/httpHealthCheck/requestPath").asString())
				.isEqualTo("/actuator/health/readiness");
			assertThat(health.at("/spec/targetRef/name").asString()).isEqualTo("taskstream-" + role);
		}
		assertThat(Chart.named(objects, "HTTPRoute", "taskstream").at("/spec/rules").toString())
			.doesNotContain("timeouts");
	}

	@Test
	void aksUsesTheApplicationRoutingAddOnWithAKeyVaultCertificateAndLongReadTimeouts() {
		JsonNode ingress = Chart.named(Chart.render("values-aks.yaml"), "Ingress", "taskstream");
		assertThat(ingress.at("/spec/ingressClassName").asString()).isEqualTo("webapprouting.kubernetes.azure.com");
		assertThat(ingress.at("/spec/tls/0/secretName").asString()).isEqualTo("keyvault-taskstream");
		assertThat(ingress.at("/spec/tls/0/hosts/0").asString()).isEqualTo("taskstream.example.com");
		JsonNode annotations = ingress.at("/metadata/annotations");
		assertThat(annotations.path("kubernetes.azure.com/tls-cert-keyvault-uri").asString()).startsWith("https://")
			.contains(".vault.azure.net/certificates/");
		assertThat(annotations.path("nginx.ingress.kubernetes.io/proxy-read-timeout").asString()).isEqualTo("3600");
		assertThat(annotations.path("nginx.ingress.kubernetes.io/proxy-send-timeout").asString()).isEqualTo("3600");
		assertThat(annotations.path("nginx.ingress.kubernetes.io/proxy-buffering").asString()).isEqualTo("off");
	}

	// --- validation and failures
	// --------------------------------------------------------

	@Test
	void aBrokenHttpRouteOrGatewayFailsTheGatewayApiSchemas() {
		List<Manifests.Document> objects = Chart.render("values-dev.yaml");
		ObjectNode route = (ObjectNode) Chart.named(objects, "HTTPRoute", "taskstream").deepCopy();
		((ObjectNode) route.at("/spec/rules/0/timeouts")).put("request", "an hour");
		((ObjectNode) route.at("/spec/rules/1")).put("timeout", "1h");
		assertThat(CrdSchemas.CLUSTER.validate(route)).anySatisfy((p) -> assertThat(p).contains("request"))
			.anySatisfy((p) -> assertThat(p).contains("timeout"));
		ObjectNode gateway = (ObjectNode) Chart.named(objects, "Gateway", "taskstream").deepCopy();
		((ObjectNode) gateway.at("/spec/listeners/0")).put("protocol", "HTTPS ");
		assertThat(CrdSchemas.CLUSTER.validate(gateway)).isNotEmpty();
	}

	@Test
	void onlyGkesPoliciesAndStrimzisKafkaUserGoUnvalidatedAndOnlyBecauseNoReachableModuleDefinesThem() {
		// KafkaAccessChartTests pins the KafkaUser's fields
		assertThat(KubernetesSchemas.WITHOUT_SCHEMA).containsExactlyInAnyOrder("networking.gke.io/v1/GCPBackendPolicy",
				"networking.gke.io/v1/HealthCheckPolicy", "kafka.strimzi.io/v1beta2/KafkaUser");
		for (String kind : KubernetesSchemas.WITHOUT_SCHEMA) {
			String[] parts = kind.split("/");
			assertThat(CrdSchemas.CLUSTER.defines(parts[0] + "/" + parts[1], parts[2])).isFalse();
		}
		assertThat(CrdSchemas.CLUSTER.defines("gateway.networking.k8s.io/v1", "HTTPRoute")).isTrue();
		assertThat(CrdSchemas.CLUSTER.defines("gateway.networking.k8s.io/v1", "Gateway")).isTrue();
	}

	@Test
	void aFrontDoorThatCannotWorkFailsWithAClearMessage() {
		assertThat(Chart.templateOn(Chart.CLUSTER_APIS.subList(0, 5), "values-dev.yaml").errors())
			.contains("needs the Gateway API CRDs");
		assertThat(Chart
			.templateOn(Chart.CLUSTER_APIS.stream().filter((api) -> !api.startsWith("networking.gke.io/")).toList(),
					"values-gke.yaml")
			.errors()).contains("needs GKE's Gateway policy CRDs");
		assertThat(Chart.template("values-dev.yaml", "--set", "frontDoor.gateway.create=false").errors())
			.contains("frontDoor.kind HTTPRoute needs a Gateway");
		assertThat(Chart.template("values-dev.yaml", "--set", "frontDoor.gateway.tls.certificateRefs=null").errors())
			.contains("/frontDoor/gateway/tls", "certificateRefs");
		assertThat(Chart.template("values-dev.yaml", "--set-json", "frontDoor.gateway.tls.certificateRefs=[]").errors())
			.contains("The front door is HTTPS only");
		assertThat(Chart.template("values-eks.yaml", "--set", "frontDoor.ingress.className=").errors())
			.contains("frontDoor.ingress.className is required");
		assertThat(Chart.template("values-eks.yaml", "--set", "frontDoor.host=").errors()).contains("/frontDoor/host");
		assertThat(Chart.template("values-eks.yaml", "--set", "frontDoor.host=https://x.example.com").errors())
			.contains("/frontDoor/host");
		assertThat(Chart.render("values-eks.yaml", "--set", "frontDoor.enabled=false", "--set", "frontDoor.host="))
			.extracting(Manifests.Document::kind)
			.doesNotContain("Ingress", "HTTPRoute", "Gateway");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valuesFiles")
	void theNotesExplainBearerTokensThroughTheFrontDoor(String valuesFile) {
		String notes = Chart.notes(valuesFile);
		assertThat(notes).doesNotContain("X-User-Id")
			.contains("Authorization: Bearer $TOKEN")
			.contains("https://"
					+ (valuesFile.equals("values-dev.yaml") ? "taskstream.localtest.me" : "taskstream.example.com")
					+ "/api/v1/tasks")
			.contains("taskstream.operator")
			.contains("port 9090");
	}

	// --- helpers
	// -------------------------------------------------------------------------

	/** The routes of the rendered HTTPRoute or Ingress, in their order. */
	static List<Route> routes(List<Manifests.Document> objects) {
		List<Route> routes = new ArrayList<>();
		Chart.ofKind(objects, "HTTPRoute").forEach((route) -> route.at("/spec/rules").forEach((rule) -> {
			assertThat(rule.path("matches")).hasSize(1);
			assertThat(rule.at("/matches/0/path/type").asString()).isEqualTo("PathPrefix");
			String timeout = rule.at("/timeouts/request").asString("");
			routes.add(new Route(rule.at("/matches/0/path/value").asString(),
					role(rule.at("/backendRefs/0/name").asString()), timeout.equals("3600s")));
		}));
		Chart.ofKind(objects, "Ingress").forEach((ingress) -> ingress.at("/spec/rules/0/http/paths").forEach((path) -> {
			assertThat(path.path("pathType").asString()).isEqualTo("Prefix");
			routes.add(new Route(path.path("path").asString(), role(path.at("/backend/service/name").asString()),
					path.path("path").asString().endsWith("/stream")));
		}));
		return routes;
	}

	private static List<JsonNode> backends(List<Manifests.Document> objects) {
		List<JsonNode> ports = new ArrayList<>();
		Chart.ofKind(objects, "HTTPRoute")
			.forEach((route) -> route.at("/spec/rules")
				.forEach((rule) -> rule.path("backendRefs").forEach((ref) -> ports.add(ref.path("port")))));
		Chart.ofKind(objects, "Ingress")
			.forEach((ingress) -> ingress.at("/spec/rules/0/http/paths")
				.forEach((path) -> ports.add(path.at("/backend/service/port"))));
		return ports;
	}

	private static String role(String service) {
		assertThat(service).startsWith("taskstream-");
		return service.substring("taskstream-".length());
	}

	/**
	 * Gateway API's and Ingress' PathPrefix: the longest prefix, matched by whole
	 * segments.
	 */
	static Optional<Route> longestMatch(List<Route> routes, String path) {
		return routes.stream()
			.filter((route) -> path.equals(route.path()) || path.startsWith(route.path() + "/"))
			.max(Comparator.comparingInt((route) -> route.path().length()));
	}

}
