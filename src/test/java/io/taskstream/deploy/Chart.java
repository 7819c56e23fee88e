package io.taskstream.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.taskstream.Commands;

import tools.jackson.databind.JsonNode;

/** The Helm chart {@code helm/taskstream}, rendered and linted by Helm itself. */
final class Chart {

	static final String DIR = "helm/taskstream";

	/** The values files a user installs with, one per target. */
	static final List<String> VALUES_FILES = List.of("values-dev.yaml", "values-eks.yaml", "values-gke.yaml",
			"values-aks.yaml");

	/**
	 * The CRD-backed APIs a cluster with Dapr, the Prometheus Operator and the Gateway
	 * API serves (GKE adds its Gateway policies, Strimzi its KafkaUser).
	 */
	static final List<String> CLUSTER_APIS = List.of("dapr.io/v1alpha1/Component", "dapr.io/v1alpha1/Configuration",
			"dapr.io/v1alpha1/Resiliency", "dapr.io/v2alpha1/Subscription", "monitoring.coreos.com/v1",
			"gateway.networking.k8s.io/v1", "networking.gke.io/v1", "kafka.strimzi.io/v1beta2/KafkaUser");

	private Chart() {
	}

	/**
	 * {@code helm template} as release "taskstream" in namespace "taskstream" of a
	 * cluster with Dapr's and the Prometheus Operator's CRDs, with a values file of the
	 * chart (or none) and more arguments (e.g. {@code --set}).
	 */
	static Commands.Result template(String valuesFile, String... args) {
		return DeployTools.run(command("template", valuesFile, CLUSTER_APIS, args));
	}

	/** As {@link #template}, on a cluster that serves only these CRD-backed APIs. */
	static Commands.Result templateOn(List<String> clusterApis, String valuesFile, String... args) {
		return DeployTools.run(command("template", valuesFile, clusterApis, args));
	}

	/** The objects of a successful rendering. */
	static List<Manifests.Document> render(String valuesFile, String... args) {
		Commands.Result result = template(valuesFile, args);
		if (result.exitCode() != 0) {
			throw new AssertionError("helm template -f " + valuesFile + " failed: " + result);
		}
		return Manifests.documents("helm template -f " + valuesFile, result.output());
	}

	/**
	 * {@code helm lint --strict} (warnings fail too); lint cannot be told the cluster's
	 * APIs, so it renders with {@code requireCrds=false}.
	 */
	static Commands.Result lint(String valuesFile) {
		List<String> command = DeployTools.command(DeployTools.helm(), "lint", DIR, "--strict", "--kube-version",
				DeployTools.KUBE_VERSION, "--set", "requireCrds=false");
		if (valuesFile != null) {
			command.addAll(List.of("-f", valuesFile.contains("/") ? valuesFile : DIR + "/" + valuesFile));
		}
		return DeployTools.run(command);
	}

	/**
	 * NOTES.txt as {@code helm install} would print it: Helm renders it only against a
	 * cluster, so a copy of the chart renders it as a ConfigMap through {@code tpl}.
	 */
	static String notes(String valuesFile, String... args) {
		Path copy = null;
		try {
			copy = Files.createTempDirectory("chart-notes").resolve("taskstream");
			Path source = Path.of(DIR);
			try (Stream<Path> files = Files.walk(source)) {
				for (Path file : files.toList()) {
					Path target = copy.resolve(source.relativize(file).toString());
					if (Files.isDirectory(file)) {
						Files.createDirectories(target);
					}
					else {
						Files.copy(file, target);
					}
				}
			}
			Files.move(copy.resolve("templates/NOTES.txt"), copy.resolve("files/NOTES.txt"));
			Files.writeString(copy.resolve("templates/notes.yaml"), """
					apiVersion: v1
					kind: ConfigMap
					metadata:
					  name: notes
					data:
					  notes: {{ tpl (.Files.Get "files/NOTES.txt") . | toJson }}
					""");
			List<String> command = command("template", valuesFile, CLUSTER_APIS, args);
			command.set(command.indexOf(DIR), copy.toString());
			command.addAll(List.of("--show-only", "templates/notes.yaml"));
			Commands.Result result = DeployTools.run(command);
			if (result.exitCode() != 0) {
				throw new AssertionError("NOTES.txt with " + valuesFile + " failed: " + result);
			}
			return Manifests.documents("NOTES.txt", result.output()).get(0).node().at("/data/notes").asString();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			if (copy != null) {
				delete(copy.getParent());
			}
		}
	}

	private static void delete(Path directory) {
		try (Stream<Path> files = Files.walk(directory)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(file);
			}
		}
		catch (IOException ex) {
			// a leftover temp directory is harmless
		}
	}

	static Stream<JsonNode> ofKind(List<Manifests.Document> documents, String kind) {
		return documents.stream().filter((document) -> document.kind().equals(kind)).map(Manifests.Document::node);
	}

	static JsonNode named(List<Manifests.Document> documents, String kind, String name) {
		return ofKind(documents, kind).filter((node) -> node.at("/metadata/name").asString().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + kind + " " + name));
	}

	private static List<String> command(String verb, String valuesFile, List<String> clusterApis, String... args) {
		List<String> command = DeployTools.command(DeployTools.helm(), verb, "taskstream", DIR, "--namespace",
				"taskstream", "--kube-version", DeployTools.KUBE_VERSION);
		clusterApis.forEach((api) -> command.addAll(List.of("--api-versions", api)));
		if (valuesFile != null) {
			command.addAll(List.of("-f", valuesFile.contains("/") ? valuesFile : DIR + "/" + valuesFile));
		}
		command.addAll(List.of(args));
		return new ArrayList<>(command);
	}

}
