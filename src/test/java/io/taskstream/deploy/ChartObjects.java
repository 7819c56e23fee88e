package io.taskstream.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Lookups in what the chart renders, shared by the chart's test classes. */
final class ChartObjects {

	static final List<String> ROLES = List.of("tasks", "analytics", "notifications", "audit");

	private ChartObjects() {
	}

	static List<JsonNode> podTemplates(List<Manifests.Document> objects) {
		return objects.stream()
			.filter((o) -> Set.of("Deployment", "StatefulSet").contains(o.kind()))
			.map((o) -> o.node().at("/spec/template/spec"))
			.toList();
	}

	static List<JsonNode> containers(JsonNode pod) {
		List<JsonNode> containers = new ArrayList<>();
		pod.path("initContainers").forEach(containers::add);
		pod.path("containers").forEach(containers::add);
		return containers;
	}

	static JsonNode appContainer(List<Manifests.Document> objects, String role) {
		return appContainer(objects, role, "Deployment");
	}

	static JsonNode appContainer(List<Manifests.Document> objects, String part, String kind) {
		return Chart.named(objects, kind, "taskstream-" + part).at("/spec/template/spec/containers/0");
	}

	static String envOf(JsonNode container, String name) {
		return env(container, name).path("value").asString();
	}

	static String secretOf(JsonNode container, String name) {
		JsonNode ref = env(container, name).at("/valueFrom/secretKeyRef");
		return ref.path("name").asString() + "/" + ref.path("key").asString();
	}

	static JsonNode env(JsonNode container, String name) {
		for (JsonNode env : container.path("env")) {
			if (env.path("name").asString().equals(name)) {
				return env;
			}
		}
		throw new AssertionError("no env " + name + " in " + container.path("name").asString());
	}

	/** Spec and scopes of each object of a kind, by name; the Zipkin address left out. */
	static Map<String, JsonNode> specsByName(List<Manifests.Document> objects, String kind) {
		Map<String, JsonNode> specs = new TreeMap<>();
		Chart.ofKind(objects, kind).forEach((node) -> {
			ObjectNode spec = Manifests.yaml.createObjectNode();
			spec.set("spec", node.path("spec").deepCopy());
			spec.set("scopes", node.path("scopes"));
			if (spec.get("spec").path("tracing") instanceof ObjectNode tracing) {
				tracing.remove("zipkin");
			}
			specs.put(node.at("/metadata/name").asString(), spec);
		});
		return specs;
	}

	static Map<String, JsonNode> componentMetadata(List<Manifests.Document> objects) {
		Map<String, JsonNode> metadata = new TreeMap<>();
		Chart.named(objects, "Component", "taskstream-pubsub")
			.at("/spec/metadata")
			.forEach((item) -> metadata.put(item.path("name").asString(), item));
		return metadata;
	}

}
