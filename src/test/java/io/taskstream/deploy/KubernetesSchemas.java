package io.taskstream.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.taskstream.Commands;

/**
 * Strict validation of every object: built-in kinds against the Kubernetes API's JSON
 * schemas of {@link DeployTools#KUBE_VERSION} (kubernetes-validate {@code --strict}:
 * unknown fields and wrong types are errors), custom resources against their CRDs
 * ({@link CrdSchemas#CLUSTER}). An object nobody has a schema for is a problem too, but
 * for the few kinds of {@link #WITHOUT_SCHEMA}.
 */
final class KubernetesSchemas {

	/**
	 * Kinds the chart renders whose CRDs no Go module we can download defines, so nothing
	 * validates them here: GKE's Gateway policies (networking.gke.io, from
	 * GoogleCloudPlatform/gke-gateway-api, which the Go module proxy does not serve).
	 * Their fields follow GKE's API reference; FrontDoorChartTests pins the ones the
	 * chart sets. Strimzi's KafkaUser (kafka.strimzi.io/v1beta2): Strimzi is a Java
	 * project, the Go module proxy serves no module of it (github.com/strimzi/... answers
	 * 403), so its CRD cannot be fetched the way the others are; KafkaAccessChartTests
	 * pins every field the chart sets and checks the ACLs against the access model. Any
	 * other kind without a schema still fails.
	 */
	static final Set<String> WITHOUT_SCHEMA = Set.of("networking.gke.io/v1/GCPBackendPolicy",
			"networking.gke.io/v1/HealthCheckPolicy", "kafka.strimzi.io/v1beta2/KafkaUser");

	private KubernetesSchemas() {
	}

	/** One line per problem, naming the object; empty when everything is valid. */
	static List<String> problems(List<Manifests.Document> documents) {
		List<String> problems = new ArrayList<>();
		List<Manifests.Document> builtIn = new ArrayList<>();
		for (Manifests.Document document : documents) {
			if (WITHOUT_SCHEMA.contains(document.apiVersion() + "/" + document.kind())) {
				continue;
			}
			if (CrdSchemas.CLUSTER.defines(document.apiVersion(), document.kind())) {
				CrdSchemas.CLUSTER.validate(document.node())
					.forEach((problem) -> problems.add(document + ": " + problem));
			}
			else {
				builtIn.add(document);
			}
		}
		if (!builtIn.isEmpty()) {
			problems.addAll(validateBuiltIn(builtIn));
		}
		return problems;
	}

	private static List<String> validateBuiltIn(List<Manifests.Document> documents) {
		Path dir = null;
		try {
			dir = Files.createTempDirectory("kubernetes-validate");
			List<String> command = DeployTools.command(DeployTools.kubernetesValidate(), "--strict", "-k",
					DeployTools.KUBE_VERSION);
			for (int i = 0; i < documents.size(); i++) {
				Path file = dir.resolve(i + ".yaml");
				Files.writeString(file, Manifests.yaml.writeValueAsString(documents.get(i).node()));
				command.add(file.toString());
			}
			Commands.Result result = DeployTools.run(command);
			List<String> problems = new ArrayList<>();
			int passed = 0;
			for (String line : (result.output() + result.errors()).split("\n")) {
				if (line.startsWith("INFO ") && line.contains(" passed ")) {
					passed++;
				}
				else if (line.startsWith("ERROR ") || line.startsWith("WARN ")) {
					String file = line.split(" ")[1];
					int index = Integer.parseInt(Path.of(file).getFileName().toString().replace(".yaml", ""));
					problems.add(documents.get(index) + ": " + line.substring(line.indexOf(' ', 6) + 1));
				}
			}
			if (problems.isEmpty() && (result.exitCode() != 0 || passed != documents.size())) {
				problems
					.add("kubernetes-validate passed " + passed + " of " + documents.size() + " objects: " + result);
			}
			return problems;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			if (dir != null) {
				try (var files = Files.list(dir)) {
					for (Path file : files.toList()) {
						Files.deleteIfExists(file);
					}
					Files.deleteIfExists(dir);
				}
				catch (IOException ex) {
					// a leftover temp file is harmless
				}
			}
		}
	}

}
