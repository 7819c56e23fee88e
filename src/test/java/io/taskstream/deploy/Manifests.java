package io.taskstream.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Kubernetes-style YAML documents, read from files or from a tool's output. */
public final class Manifests {

	public static final YAMLMapper yaml = YAMLMapper.builder().build();

	private Manifests() {
	}

	/** Every YAML document of the files under the roots (a root may be a file). */
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

	/** The non-empty documents of a multi-document YAML text. */
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

		public String apiVersion() {
			return this.node.path("apiVersion").asString("");
		}

		public String name() {
			return this.node.path("metadata").path("name").asString("");
		}

		/** The API group, empty for the core group ("v1"). */
		public String group() {
			String apiVersion = apiVersion();
			return apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
		}

		@Override
		public String toString() {
			return this.source + " (" + kind() + " " + name() + ")";
		}

	}

}
