package io.taskstream.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Validates custom resources as strictly as an API server with their CRDs would, and
 * more: unknown fields are rejected wherever the CRD lists an object's fields (a
 * structural schema would prune them silently).
 */
final class CrdSchemas {

	/**
	 * Dapr's CRDs, the Prometheus Operator's and the Gateway API's standard channel, as
	 * the chart's clusters have them.
	 */
	static final CrdSchemas CLUSTER = new CrdSchemas(GoModules.directory(GoModules.DAPR).resolve("charts/dapr/crds"),
			GoModules.directory(GoModules.PROMETHEUS_OPERATOR).resolve("example/prometheus-operator-crd-full"),
			GoModules.directory(GoModules.GATEWAY_API).resolve("config/crd/standard"));

	private final Map<String, Schema> schemas = new HashMap<>();

	CrdSchemas(Path... directories) {
		for (Path directory : directories) {
			try (Stream<Path> files = Files.list(directory)) {
				for (Path file : files.filter((f) -> f.toString().endsWith(".yaml")).sorted().toList()) {
					Manifests.documents(file.toString(), Files.readString(file))
						.stream()
						.filter((crd) -> crd.kind().equals("CustomResourceDefinition"))
						.forEach((crd) -> add(crd.node().path("spec")));
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		if (this.schemas.isEmpty()) {
			throw new IllegalStateException("no CRDs found in " + List.of(directories));
		}
	}

	/** Whether a CRD defines this apiVersion and kind. */
	boolean defines(String apiVersion, String kind) {
		return this.schemas.containsKey(apiVersion + "/" + kind);
	}

	/** The resource's problems against its CRD, empty when it is valid. */
	List<String> validate(JsonNode resource) {
		String key = resource.path("apiVersion").asString("") + "/" + resource.path("kind").asString("");
		Schema schema = Optional.ofNullable(this.schemas.get(key))
			.orElseThrow(() -> new IllegalArgumentException("no CRD defines " + key));
		List<String> problems = new ArrayList<>(schema.validate(resource).stream().map(Error::toString).toList());
		if (resource.path("metadata").path("name").asString("").isBlank()) {
			problems.add("metadata.name is missing");
		}
		return problems;
	}

	private void add(JsonNode spec) {
		String group = spec.path("group").asString();
		String kind = spec.path("names").path("kind").asString();
		for (JsonNode version : spec.path("versions")) {
			JsonNode openApi = version.path("schema").path("openAPIV3Schema").deepCopy();
			closeObjects(openApi);
			this.schemas.put(group + "/" + version.path("name").asString() + "/" + kind,
					SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(openApi));
		}
	}

	/**
	 * Rejects unknown fields wherever the CRD lists an object's fields, as a structural
	 * schema with pruning would drop them silently.
	 */
	static void closeObjects(JsonNode node) {
		if (node instanceof ObjectNode object) {
			if (object.has("properties") && !object.has("additionalProperties")
					&& !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
				object.put("additionalProperties", false);
			}
			object.properties().forEach((entry) -> {
				if (entry.getKey().equals("properties")) {
					if (entry.getValue().isObject()) {
						entry.getValue().forEach(CrdSchemas::closeObjects);
					}
				}
				else {
					closeObjects(entry.getValue());
				}
			});
		}
		else if (node != null && node.isArray()) {
			node.forEach(CrdSchemas::closeObjects);
		}
	}

}
