package io.taskstream.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * Dapr resources checked against what Dapr itself defines: the CRDs of the Dapr control
 * plane the chart targets ({@link GoModules#DAPR}), the Kafka component's metadata names
 * of its components-contrib ({@link GoModules#COMPONENTS_CONTRIB}) and the annotations
 * its sidecar injector reads.
 */
public final class DaprResources {

	/**
	 * Metadata names Dapr itself reads on every pub/sub component (pkg/scopes in dapr,
	 * and consumerID/consumerGroup templating in pkg/runtime/meta), besides the
	 * component's own list.
	 */
	static final Set<String> DAPR_PUBSUB_METADATA = Set.of("publishingScopes", "subscriptionScopes", "allowedTopics",
			"protectedTopics", "consumerID");

	/** Read once: the names components-contrib defines for the Kafka component. */
	private static final Set<String> kafkaMetadataNames = readKafkaMetadataNames();

	/** Read once: the annotations dapr's sidecar injector reads. */
	private static final Set<String> injectorAnnotations = readInjectorAnnotations();

	private DaprResources() {
	}

	/** The problems of a Dapr resource against its CRD, empty when it is valid. */
	public static List<String> validate(JsonNode resource) {
		String apiVersion = resource.path("apiVersion").asString("");
		if (!apiVersion.startsWith("dapr.io/")) {
			return List.of("not a Dapr resource: apiVersion " + apiVersion);
		}
		if (!CrdSchemas.CLUSTER.defines(apiVersion, resource.path("kind").asString(""))) {
			return List.of("no Dapr CRD defines " + apiVersion + " " + resource.path("kind").asString(""));
		}
		return CrdSchemas.CLUSTER.validate(resource);
	}

	/**
	 * Metadata names of a Kafka pub/sub component that components-contrib does not
	 * define.
	 */
	public static List<String> unknownKafkaMetadata(JsonNode component) {
		List<String> unknown = new ArrayList<>();
		for (JsonNode item : component.path("spec").path("metadata")) {
			String name = item.path("name").asString();
			if (!kafkaMetadataNames.contains(name) && !DAPR_PUBSUB_METADATA.contains(name)) {
				unknown.add(name);
			}
		}
		return unknown;
	}

	/**
	 * The names pubsub/kafka/metadata.yaml lists (its own, its authentication profiles'
	 * and its built-in profiles'), and those the component's code reads by name
	 * ({@code metadata["region"]}: the built-in AWS profile's names, which
	 * components-contrib keeps in a file outside the module).
	 */
	private static Set<String> readKafkaMetadataNames() {
		Path module = GoModules.directory(GoModules.COMPONENTS_CONTRIB);
		Path file = module.resolve("pubsub/kafka/metadata.yaml");
		JsonNode metadata = Manifests.yaml.readTree(file.toFile());
		Set<String> names = new HashSet<>();
		metadata.path("metadata").forEach((item) -> names.add(item.path("name").asString()));
		for (String profiles : List.of("authenticationProfiles", "builtinAuthenticationProfiles")) {
			metadata.path(profiles)
				.forEach((profile) -> profile.path("metadata")
					.forEach((item) -> names.add(item.path("name").asString())));
		}
		try {
			Matcher read = Pattern.compile("metadata\\[\"([A-Za-z]+)\"\\]")
				.matcher(Files.readString(module.resolve("common/component/kafka/kafka.go")));
			while (read.find()) {
				names.add(read.group(1));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		if (names.size() < 20 || !names.contains("region")) {
			throw new IllegalStateException("too few metadata names read from " + module + ": " + names);
		}
		return Set.copyOf(names);
	}

	/**
	 * The pod annotations Dapr's sidecar injector reads ({@code annotation:"dapr.io/..."}
	 * tags of pkg/injector/patcher/sidecar.go).
	 */
	static Set<String> injectorAnnotations() {
		return injectorAnnotations;
	}

	private static Set<String> readInjectorAnnotations() {
		Path source = GoModules.directory(GoModules.DAPR).resolve("pkg/injector/patcher/sidecar.go");
		Set<String> names = new HashSet<>();
		try {
			Matcher tag = Pattern.compile("annotation:\"(dapr\\.io/[a-z0-9-]+)\"").matcher(Files.readString(source));
			while (tag.find()) {
				names.add(tag.group(1));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		if (!names.contains("dapr.io/app-id")) {
			throw new IllegalStateException("no annotations read from " + source);
		}
		return Set.copyOf(names);
	}

}
