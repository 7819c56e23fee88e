package io.taskstream.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/configuration.md} is generated from the configuration metadata that the
 * annotation processor writes for our {@code @ConfigurationProperties} records, so the
 * reference cannot drift from the code. When a property changes, regenerate it with
 * {@code scripts/config-reference}.
 */
class ConfigurationReferenceTests {

	static final Path METADATA = Path.of("target/classes/META-INF/spring-configuration-metadata.json");

	static final Path REFERENCE = Path.of("docs/configuration.md");

	@Test
	void theReferenceListsEveryPropertyAsTheCodeDeclaresIt() throws IOException {
		String generated = render(JsonMapper.builder().build().readTree(METADATA.toFile()));
		if (Boolean.getBoolean("taskstream.docs.update")) {
			Files.writeString(REFERENCE, generated, StandardCharsets.UTF_8);
		}
		assertThat(Files.readString(REFERENCE, StandardCharsets.UTF_8))
			.as("docs/configuration.md is out of date: run scripts/config-reference")
			.isEqualTo(generated);
	}

	@Test
	void renderingShowsDefaultsAndEnvironmentNames() {
		JsonNode metadata = JsonMapper.builder()
			.build()
			.readTree(
					"{\"properties\":[{\"name\":\"taskstream.events.relay.batch-size\",\"type\":\"java.lang.Integer\","
							+ "\"defaultValue\":200,\"description\":\"Rows per publish.\"}]}");
		assertThat(render(metadata)).contains(
				"| `taskstream.events.relay.batch-size` | `TASKSTREAM_EVENTS_RELAY_BATCHSIZE` | Integer | `200` | Rows per publish. |");
	}

	static String render(JsonNode metadata) {
		List<JsonNode> properties = new ArrayList<>();
		metadata.path("properties").forEach(properties::add);
		properties.sort(Comparator.comparing((property) -> property.path("name").asString()));
		StringBuilder out = new StringBuilder();
		out.append("# Configuration reference\n\n")
			.append("Generated from the configuration metadata of the code (`scripts/config-reference`); ")
			.append("do not edit by hand. Every property can also be set as an environment variable ")
			.append("(Spring Boot's relaxed binding). Spring Boot's own properties ")
			.append("(`spring.datasource.*`, `spring.security.oauth2.resourceserver.jwt.*`, `management.*`) ")
			.append("are in Boot's reference.\n\n")
			.append("| property | environment variable | type | default | description |\n")
			.append("|---|---|---|---|---|\n");
		for (JsonNode property : properties) {
			String name = property.path("name").asString();
			String type = property.path("type").asString("");
			out.append("| `")
				.append(name)
				.append("` | `")
				.append(name.replace("-", "").replace('.', '_').toUpperCase(Locale.ROOT))
				.append("` | ")
				.append(type.substring(type.lastIndexOf('.') + 1).replace("<", "&lt;").replace(">", "&gt;"))
				.append(" | ")
				.append(property.has("defaultValue") ? "`" + defaultValue(property.get("defaultValue")) + "`" : "")
				.append(" | ")
				.append(description(property.path("description").asString("")))
				.append(" |\n");
		}
		return out.toString();
	}

	/** Javadoc's inline tags read as Markdown code; a pipe would end the table cell. */
	private static String description(String javadoc) {
		return javadoc.replaceAll("\\{@(?:code|link) ([^}]*)}", "`$1`").replace('\n', ' ').replace("|", "\\|");
	}

	private static String defaultValue(JsonNode value) {
		if (value.isArray()) {
			List<String> items = new ArrayList<>();
			value.forEach((item) -> items.add(item.asString()));
			return String.join(",", items);
		}
		return value.asString();
	}

}
