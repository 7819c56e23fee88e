package io.taskstream.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Validates Dapr resources as strictly as an API server with Dapr's CRDs would, and more:
 * unknown fields are rejected everywhere the CRD lists the fields. The CRDs and the Kafka
 * component's metadata list come from the Go modules the daprd build downloads
 * ({@code github.com/dapr/dapr} and {@code github.com/dapr/components-contrib}, of the
 * version daprd is built from).
 */
public final class DaprResources {

	/** The dapr and components-contrib version the checks read, the daprd version. */
	public static final String DAPR_VERSION = "v1.18.0";

	public static final YAMLMapper yaml = YAMLMapper.builder().build();

	/**
	 * Metadata names Dapr itself reads on every pub/sub component (pkg/scopes in dapr,
	 * and consumerID/consumerGroup templating in pkg/runtime/meta), besides the
	 * component's own list.
	 */
	static final Set<String> DAPR_PUBSUB_METADATA = Set.of("publishingScopes", "subscriptionScopes", "allowedTopics",
			"protectedTopics", "consumerID");

	private static final Map<String, Schema> schemas = new ConcurrentHashMap<>();

	private DaprResources() {
	}

	/** Every YAML document of the files, with where it came from. */
	public static List<Document> documents(Path... roots) {
		List<Document> documents = new ArrayList<>();
		for (Path root : roots) {
			try (Stream<Path> files = Files.walk(root)) {
				for (Path file : files.filter((f) -> f.toString().endsWith(".yaml")).sorted().toList()) {
					documents.addAll(documents(file.toString(), Files.readString(file)));
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return documents;
	}

	public static List<Document> documents(String source, String text) {
		List<Document> documents = new ArrayList<>();
		try (var parser = yaml.createParser(text)) {
			var iterator = yaml.readValues(parser, JsonNode.class);
			int index = 0;
			while (iterator.hasNext()) {
				JsonNode node = iterator.next();
				if (node != null && !node.isNull() && !node.isMissingNode()) {
					documents.add(new Document(source + "#" + index, node));
				}
				index++;
			}
		}
		return documents;
	}

	/** A YAML document and where it came from. */
	public record Document(String source, JsonNode node) {

		public String kind() {
			return this.node.path("kind").asString("");
		}

		@Override
		public String toString() {
			return this.source + " (" + kind() + ")";
		}

	}

	/** The problems of a Dapr resource against its CRD, empty when it is valid. */
	public static List<String> validate(JsonNode resource) {
		String apiVersion = resource.path("apiVersion").asString("");
		String kind = resource.path("kind").asString("");
		if (!apiVersion.startsWith("dapr.io/")) {
			return List.of("not a Dapr resource: apiVersion " + apiVersion);
		}
		Schema schema = schemas.computeIfAbsent(apiVersion + "/" + kind, (key) -> loadSchema(apiVersion, kind));
		List<String> problems = new ArrayList<>(schema.validate(resource).stream().map(Error::toString).toList());
		if (resource.path("metadata").path("name").asString("").isBlank()) {
			problems.add("metadata.name is missing");
		}
		return problems;
	}

	/**
	 * Metadata names of a Kafka pub/sub component that components-contrib does not
	 * define.
	 */
	public static List<String> unknownKafkaMetadata(JsonNode component) {
		Set<String> known = kafkaMetadataNames();
		List<String> unknown = new ArrayList<>();
		for (JsonNode item : component.path("spec").path("metadata")) {
			String name = item.path("name").asString();
			if (!known.contains(name) && !DAPR_PUBSUB_METADATA.contains(name)) {
				unknown.add(name);
			}
		}
		return unknown;
	}

	static Set<String> kafkaMetadataNames() {
		Path file = module("github.com/dapr/components-contrib").resolve("pubsub/kafka/metadata.yaml");
		JsonNode metadata = yaml.readTree(file.toFile());
		Set<String> names = new HashSet<>();
		metadata.path("metadata").forEach((item) -> names.add(item.path("name").asString()));
		metadata.path("authenticationProfiles")
			.forEach((profile) -> profile.path("metadata").forEach((item) -> names.add(item.path("name").asString())));
		if (names.size() < 20) {
			throw new IllegalStateException("too few metadata names read from " + file + ": " + names);
		}
		return names;
	}

	private static Schema loadSchema(String apiVersion, String kind) {
		String group = apiVersion.substring(0, apiVersion.indexOf('/'));
		String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
		Path crds = module("github.com/dapr/dapr").resolve("charts/dapr/crds");
		try (Stream<Path> files = Files.list(crds)) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".yaml")).toList()) {
				for (Document crd : documents(file.toString(), Files.readString(file))) {
					JsonNode spec = crd.node().path("spec");
					if (!spec.path("group").asString().equals(group)
							|| !spec.path("names").path("kind").asString().equals(kind)) {
						continue;
					}
					for (JsonNode served : spec.path("versions")) {
						if (served.path("name").asString().equals(version)) {
							JsonNode openApi = served.path("schema").path("openAPIV3Schema").deepCopy();
							closeObjects(openApi);
							return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(openApi);
						}
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		throw new IllegalStateException("no CRD for " + apiVersion + " " + kind + " in " + crds);
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
				if (!entry.getKey().equals("properties") || entry.getValue().isObject()) {
					if (entry.getKey().equals("properties")) {
						entry.getValue().forEach(DaprResources::closeObjects);
					}
					else {
						closeObjects(entry.getValue());
					}
				}
			});
		}
		else if (node != null && node.isArray()) {
			node.forEach(DaprResources::closeObjects);
		}
	}

	/**
	 * A Go module's directory in the module cache: dapr itself, or a module at the
	 * version dapr's go.mod requires (read inside dapr's module, where go.sum vouches for
	 * it). The daprd build has normally downloaded them already.
	 */
	static Path module(String path) {
		Path dapr = Path.of(goJson(null, "mod", "download", "-json", "github.com/dapr/dapr@" + DAPR_VERSION).path("Dir")
			.asString());
		if (path.equals("github.com/dapr/dapr")) {
			return dapr;
		}
		goJson(dapr, "mod", "download", "-json", path);
		return Path.of(goJson(dapr, "list", "-m", "-json", path).path("Dir").asString());
	}

	private static JsonNode goJson(Path directory, String... args) {
		List<String> command = new ArrayList<>(List.of("go"));
		command.addAll(List.of(args));
		try {
			ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
			builder.environment().put("GOFLAGS", "-mod=mod");
			if (directory != null) {
				builder.directory(directory.toFile());
			}
			Process process = builder.start();
			String json = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			JsonNode result = yaml.readTree(json);
			if (process.waitFor() != 0 || result.hasNonNull("Error") || !result.hasNonNull("Dir")) {
				throw new IllegalStateException(String.join(" ", command) + " failed: " + json);
			}
			return result;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Go is needed to read Dapr's CRDs from the module cache (the daprd build "
					+ "needs it too): " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
