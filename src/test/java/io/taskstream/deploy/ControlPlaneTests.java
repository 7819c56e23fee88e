package io.taskstream.deploy;

import io.taskstream.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static io.taskstream.deploy.ControlPlane.helm;
import static io.taskstream.deploy.ControlPlane.kubectl;
import static io.taskstream.deploy.ControlPlane.kubectlJson;
import static io.taskstream.deploy.ControlPlane.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chart installed as a user installs it, on a real Kubernetes API server
 * ({@code scripts/control-plane}): Dapr first (its CRDs, Sentry and the sidecar injector
 * as a live webhook), the monitoring and Gateway API CRDs, then the chart into a
 * namespace that enforces PodSecurity "restricted". What the offline checks cannot see is
 * decided here by the API server: defaulting, CEL rules of CRDs, the injected daprd
 * container facing PodSecurity, upgrade and rollback over existing objects. No kubelet:
 * pods are admitted and stay Pending.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControlPlaneTests {

	static final String RELEASE_LABEL = "app.kubernetes.io/instance=taskstream";

	private static final Duration ADMISSION = Duration.ofSeconds(90);

	private static final Duration POLL = Duration.ofMillis(250);

	private boolean prerequisitesInstalled;

	@BeforeAll
	void startKubernetes() {
		ControlPlane.up(Map.of(), "--kubernetes-only");
	}

	@AfterAll
	void stopEverything() {
		ControlPlane.down();
	}

	static Stream<String> valuesFiles() {
		return Chart.VALUES_FILES.stream();
	}

	@Test
	@Order(1)
	void withoutDaprTheInstallFailsWithTheChartsOwnMessage() {
		restrictedNamespace("no-dapr");
		Commands.Result install = helm("install", "taskstream", Chart.DIR, "--namespace", "no-dapr", "-f",
				Chart.DIR + "/values-dev.yaml", "--wait=false");
		assertThat(install.exitCode()).as(install.toString()).isNotZero();
		assertThat(install.errors()).contains("The Dapr CRDs are not installed on this cluster")
			.contains("--set dapr_sidecar_injector.sidecarDropALLCapabilities=true");
		assertThat(succeeded(helm("list", "--namespace", "no-dapr", "--all", "-q"), "helm list")).isBlank();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valuesFiles")
	@Order(2)
	void upgradesFromThePreviousChartRollsBackAndUninstallsWithEveryPodAdmitted(String valuesFile) {
		installPrerequisites();
		String namespace = "ts-" + valuesFile.replace("values-", "").replace(".yaml", "");
		restrictedNamespace(namespace);
		Path previous = ControlPlane.previousChart();
		Path previousValues = Files.exists(previous.resolve(valuesFile)) ? previous.resolve(valuesFile)
				: Path.of(Chart.DIR, valuesFile);
		succeeded(helm("install", "taskstream", previous.toString(), "--namespace", namespace, "-f",
				previousValues.toString(), "--wait=false"), "helm install (previous chart)", valuesFile);

		succeeded(helm("upgrade", "taskstream", Chart.DIR, "--namespace", namespace, "-f", Chart.DIR + "/" + valuesFile,
				"--wait=false"), "helm upgrade", valuesFile);
		assertEveryObjectOfTheReleaseExists(namespace);
		awaitEveryPodAdmittedWithItsSidecar(namespace);

		succeeded(helm("rollback", "taskstream", "1", "--namespace", namespace, "--wait=false"), "helm rollback");
		assertEveryObjectOfTheReleaseExists(namespace);
		// Forward again: what is uninstalled is the current chart.
		succeeded(helm("upgrade", "taskstream", Chart.DIR, "--namespace", namespace, "-f", Chart.DIR + "/" + valuesFile,
				"--wait=false"), "helm upgrade after the rollback", valuesFile);
		awaitEveryVolumeClaimOwnedByItsStatefulSet(namespace);

		succeeded(helm("uninstall", "taskstream", "--namespace", namespace, "--wait"), "helm uninstall");
		await().atMost(ADMISSION)
			.pollInterval(POLL)
			.untilAsserted(() -> assertThat(objectsOfTheRelease(namespace)).isEmpty());
	}

	/**
	 * A route the schemas accept and the Gateway API's CEL rules refuse: the front door
	 * attached twice to the same Gateway without a sectionName. helm install fails with
	 * the API server's message and leaves the release failed.
	 */
	@Test
	@Order(3)
	void theApiServerRefusesABadRouteByTheGatewayApisCelRules() throws java.io.IOException {
		installPrerequisites();
		restrictedNamespace("ts-bad-route");
		Path twice = Files.writeString(Files.createTempFile(Path.of("target"), "bad-route", ".yaml"), """
				frontDoor:
				  gateway: {create: false}
				  httpRoute:
				    parentRefs:
				      - {name: shared-gateway, namespace: gateways}
				      - {name: shared-gateway, namespace: gateways}
				""");
		assertThat(Chart.template("values-dev.yaml", "-f", twice.toString()).exitCode()).isZero();
		Commands.Result install = helm("install", "taskstream", Chart.DIR, "--namespace", "ts-bad-route", "-f",
				Chart.DIR + "/values-dev.yaml", "-f", twice.toString(), "--wait=false");
		assertThat(install.exitCode()).as(install.toString()).isNotZero();
		assertThat(install.errors()).contains("HTTPRoute")
			.contains("sectionName must be unique when parentRefs includes 2 or more references to the same parent");
	}

	/**
	 * Dapr's chart keeps the sidecar's capabilities by default
	 * ({@code dapr_sidecar_injector.sidecarDropALLCapabilities=false}); PodSecurity
	 * "restricted" then refuses every Taskstream pod, sidecar and all. Last: it swaps the
	 * injector for one configured that way.
	 */
	@Test
	@Order(4)
	void podSecurityRefusesASidecarThatKeepsItsCapabilities() {
		installPrerequisites();
		ControlPlane.down("dapr-sidecar-injector");
		ControlPlane.up(Map.of("DAPR_SIDECAR_DROP_ALL_CAPABILITIES", "false"));
		String namespace = "ts-stock-dapr";
		restrictedNamespace(namespace);
		succeeded(helm("install", "taskstream", Chart.DIR, "--namespace", namespace, "-f",
				Chart.DIR + "/values-dev.yaml", "--wait=false"), "helm install");
		await().atMost(ADMISSION).pollInterval(POLL).untilAsserted(() -> {
			List<String> refusals = refusals(namespace);
			assertThat(refusals).isNotEmpty()
				.allSatisfy((refusal) -> assertThat(refusal).contains("violates PodSecurity \"restricted:latest\"")
					.contains("container \"daprd\" must set securityContext.capabilities.drop=[\"ALL\"]"));
		});
		assertThat(kubectlJson("get", "pods", "--namespace", namespace, "-l", "app.kubernetes.io/component=tasks")
			.path("items")).isEmpty();
	}

	/** Dapr (as its chart installs it), then the CRDs the chart's values use. */
	private void installPrerequisites() {
		if (this.prerequisitesInstalled) {
			return;
		}
		ControlPlane.up(Map.of());
		// Of the Prometheus Operator's CRDs, the two kinds the chart makes (the others
		// take
		// 8 s to apply and decide nothing here).
		Path monitoring = GoModules.directory(GoModules.PROMETHEUS_OPERATOR).resolve("example/prometheus-operator-crd");
		for (Path crds : List.of(monitoring.resolve("monitoring.coreos.com_servicemonitors.yaml"),
				monitoring.resolve("monitoring.coreos.com_prometheusrules.yaml"),
				GoModules.directory(GoModules.GATEWAY_API).resolve("config/crd/standard"))) {
			succeeded(kubectl("apply", "--server-side", "-f", crds.toString()), "kubectl apply", crds.toString());
		}
		KubernetesSchemas.WITHOUT_SCHEMA
			.forEach((kind) -> succeeded(ControlPlane.apply(standInCrd(kind)), "kubectl apply stand-in CRD", kind));
		succeeded(kubectl("wait", "--for", "condition=Established", "--timeout", "60s", "crd", "--all"),
				"kubectl wait");
		this.prerequisitesInstalled = true;
	}

	/**
	 * A CRD that accepts any object of a kind whose real CRD no module we can download
	 * holds (GKE's Gateway policies, Strimzi's KafkaUser; see
	 * {@link KubernetesSchemas#WITHOUT_SCHEMA}): the API server stores them unchecked, as
	 * the offline checks leave them.
	 */
	private static String standInCrd(String groupVersionKind) {
		String[] parts = groupVersionKind.split("/");
		String kind = parts[2];
		String singular = kind.toLowerCase(java.util.Locale.ROOT);
		String plural = singular.endsWith("y") ? singular.substring(0, singular.length() - 1) + "ies" : singular + "s";
		return """
				apiVersion: apiextensions.k8s.io/v1
				kind: CustomResourceDefinition
				metadata: {name: %s.%s}
				spec:
				  group: %s
				  scope: Namespaced
				  names: {kind: %s, plural: %s, singular: %s}
				  versions:
				    - name: %s
				      served: true
				      storage: true
				      schema:
				        openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
				""".formatted(plural, parts[0], parts[0], kind, plural, singular, parts[1]);
	}

	private static void restrictedNamespace(String name) {
		succeeded(ControlPlane.apply("""
				apiVersion: v1
				kind: Namespace
				metadata:
				  name: %s
				  labels:
				    pod-security.kubernetes.io/enforce: restricted
				    pod-security.kubernetes.io/enforce-version: latest
				""".formatted(name)), "kubectl apply namespace", name);
	}

	/**
	 * Every object of the release's manifest is on the API server (one kubectl call; it
	 * names the missing ones).
	 */
	private static void assertEveryObjectOfTheReleaseExists(String namespace) {
		String manifest = succeeded(helm("get", "manifest", "taskstream", "--namespace", namespace), "helm get");
		List<String> args = new ArrayList<>(List.of("get", "--namespace", namespace, "-o", "name"));
		for (Manifests.Document document : Manifests.documents("release", manifest)) {
			// Kind.version.group names the type unambiguously; the core group has no such
			// form.
			String version = document.apiVersion().substring(document.apiVersion().indexOf('/') + 1);
			args.add((document.group().isEmpty() ? document.kind()
					: document.kind() + "." + version + "." + document.group()) + "/" + document.name());
		}
		Commands.Result get = kubectl(args.toArray(String[]::new));
		assertThat(get.exitCode()).as("objects of the release missing on the API server: %s", get.errors()).isZero();
	}

	/**
	 * Every Deployment and StatefulSet has pods, each Dapr-enabled pod has the injected
	 * daprd container, and no controller reports a pod the API server refused.
	 */
	private static void awaitEveryPodAdmittedWithItsSidecar(String namespace) {
		await().atMost(ADMISSION).pollInterval(POLL).untilAsserted(() -> {
			List<String> problems = new ArrayList<>(refusals(namespace));
			JsonNode pods = kubectlJson("get", "pods", "--namespace", namespace).path("items");
			for (JsonNode workload : kubectlJson("get", "deployments,statefulsets", "--namespace", namespace, "-l",
					RELEASE_LABEL)
				.path("items")) {
				String name = workload.path("kind").asString() + " " + workload.at("/metadata/name").asString();
				JsonNode selector = workload.at("/spec/selector/matchLabels");
				boolean dapr = workload.at("/spec/template/metadata/annotations")
					.path("dapr.io/enabled")
					.asString("")
					.equals("true");
				List<JsonNode> own = new ArrayList<>();
				pods.forEach((pod) -> {
					JsonNode labels = pod.at("/metadata/labels");
					if (selector.properties()
						.stream()
						.allMatch((label) -> labels.path(label.getKey())
							.asString("")
							.equals(label.getValue().asString()))) {
						own.add(pod);
					}
				});
				if (own.isEmpty()) {
					problems.add(name + " has no pod");
				}
				for (JsonNode pod : own) {
					List<String> containers = pod.at("/spec/containers")
						.valueStream()
						.map((container) -> container.path("name").asString())
						.toList();
					if (dapr && !containers.contains("daprd")) {
						problems.add(name + ": pod " + pod.at("/metadata/name").asString() + " has no daprd container "
								+ containers);
					}
				}
			}
			assertThat(problems).isEmpty();
		});
	}

	/**
	 * The StatefulSets' claims are deleted with them (retention policy Delete), once the
	 * StatefulSet controller has made them their owner.
	 */
	private static void awaitEveryVolumeClaimOwnedByItsStatefulSet(String namespace) {
		await().atMost(ADMISSION).pollInterval(POLL).untilAsserted(() -> {
			List<String> unowned = kubectlJson("get", "persistentvolumeclaims", "--namespace", namespace, "-l",
					RELEASE_LABEL)
				.path("items")
				.valueStream()
				.filter((claim) -> claim.at("/metadata/ownerReferences")
					.valueStream()
					.noneMatch((owner) -> owner.path("kind").asString().equals("StatefulSet")))
				.map((claim) -> claim.at("/metadata/name").asString())
				.toList();
			assertThat(unowned).as("claims not owned by their StatefulSet").isEmpty();
		});
	}

	/**
	 * What the ReplicaSet and StatefulSet controllers were refused (FailedCreate events).
	 */
	private static List<String> refusals(String namespace) {
		return kubectlJson("get", "events", "--namespace", namespace, "--field-selector", "reason=FailedCreate")
			.path("items")
			.valueStream()
			.map((event) -> event.at("/involvedObject/name").asString() + ": " + event.path("message").asString())
			.distinct()
			.toList();
	}

	/** Objects of any kind, namespaced or not, that still carry the release's label. */
	private static List<String> objectsOfTheRelease(String namespace) {
		List<String> left = new ArrayList<>();
		for (boolean namespaced : List.of(true, false)) {
			String types = String.join(",",
					succeeded(kubectl("api-resources", "--verbs=list", "--namespaced=" + namespaced, "-o", "name"),
							"kubectl api-resources")
						.lines()
						.filter((type) -> !type.isBlank() && !type.equals("events")
								&& !type.equals("events.events.k8s.io"))
						.toList());
			List<String> args = new ArrayList<>(List.of("get", types, "-l", RELEASE_LABEL, "-o", "name"));
			if (namespaced) {
				args.addAll(List.of("--namespace", namespace));
			}
			succeeded(kubectl(args.toArray(String[]::new)), "kubectl get").lines()
				.filter((line) -> !line.isBlank())
				.forEach(left::add);
		}
		String helmSecrets = succeeded(
				kubectl("get", "secrets", "--namespace", namespace, "-l", "owner=helm,name=taskstream", "-o", "name"),
				"kubectl get");
		helmSecrets.lines().filter((line) -> !line.isBlank()).forEach(left::add);
		return left;
	}

}
