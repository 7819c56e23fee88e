package io.taskstream.deploy;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.taskstream.Commands;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plain manifests in {@code k8s/} (Kustomize base and dev overlay) are valid, and the
 * dev overlay produces the same objects as the chart with {@code values-dev.yaml}.
 */
class K8sManifestsTests {

	static List<Manifests.Document> build(String kustomization) {
		Commands.Result result = DeployTools.run(DeployTools.command(DeployTools.kustomize(), "build", kustomization));
		assertThat(result.exitCode()).as(result.toString()).isZero();
		return Manifests.documents("kustomize build " + kustomization, result.output());
	}

	@Test
	void theBaseAndTheDevOverlayAreValid() {
		List<Manifests.Document> base = build("k8s/base");
		List<Manifests.Document> dev = build("k8s/overlays/dev");
		assertThat(base).extracting(Manifests.Document::kind)
			.contains("Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy",
					"Component", "Subscription", "Configuration", "Resiliency");
		assertThat(dev).extracting(Manifests.Document::kind)
			.contains("StatefulSet")
			.doesNotContain("HorizontalPodAutoscaler", "PodDisruptionBudget");
		assertThat(KubernetesSchemas.problems(base)).isEmpty();
		assertThat(KubernetesSchemas.problems(dev)).isEmpty();
	}

	@Test
	void theDevOverlayProducesWhatTheChartRendersForDevelopment() {
		Map<String, JsonNode> kustomize = byKindAndName(build("k8s/overlays/dev"));
		Map<String, JsonNode> helm = byKindAndName(Chart.render("values-dev.yaml"));
		assertThat(kustomize.keySet()).isEqualTo(helm.keySet());
		helm.forEach((key, object) -> assertThat(kustomize.get(key)).as(key).isEqualTo(object));
	}

	/**
	 * The objects by kind and name, without what only one of the tools adds: Helm's own
	 * labels, the namespace Kustomize sets, and the order of environment variables.
	 */
	private static Map<String, JsonNode> byKindAndName(List<Manifests.Document> documents) {
		Map<String, JsonNode> objects = new TreeMap<>();
		for (Manifests.Document document : documents) {
			ObjectNode object = (ObjectNode) document.node().deepCopy();
			ObjectNode metadata = (ObjectNode) object.get("metadata");
			metadata.remove("namespace");
			if (metadata.get("labels") instanceof ObjectNode labels) {
				labels.remove("helm.sh/chart");
				labels.remove("app.kubernetes.io/managed-by");
			}
			object.findParents("env").forEach((parent) -> {
				if (parent.get("env") instanceof ArrayNode env) {
					List<JsonNode> sorted = new java.util.ArrayList<>();
					env.forEach(sorted::add);
					sorted.sort(java.util.Comparator.comparing((item) -> item.path("name").asString()));
					env.removeAll();
					sorted.forEach(env::add);
				}
			});
			objects.put(document.kind() + "/" + document.name(), object);
		}
		return objects;
	}

}
