package io.taskstream.docs;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.taskstream.Commands;
import io.taskstream.IntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document springdoc generates from the running app (all four roles) is valid
 * OpenAPI 3.1 by an independent validator (Redocly's OpenAPI core), declares the bearer
 * JWT scheme, documents every {@code /api/v1} route and its RFC 9457 problem answers; it,
 * Swagger UI and the event contracts are served without credentials.
 */
@IntegrationTest
class OpenApiIntegrationTests {

	static final String VALIDATOR = "src/test/resources/contracts/validate-openapi.mjs";

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

	@LocalServerPort
	int port;

	@Test
	void theGeneratedDocumentIsValidOpenApi31() throws IOException {
		String document = get("/v3/api-docs").body();
		Path file = Path.of("target/contracts/openapi.json");
		Files.createDirectories(file.getParent());
		Files.writeString(file, document);

		Commands.Result result = ContractTools.node(VALIDATOR, file.toString());

		assertThat(result.exitCode()).as("Redocly on the generated document:\n%s", result).isZero();
		assertThat(json.readTree(document).path("openapi").asString()).startsWith("3.1.");
	}

	@Test
	void theValidatorRejectsABrokenDocument() throws IOException {
		JsonNode document = json.readTree(get("/v3/api-docs").body());
		((tools.jackson.databind.node.ObjectNode) document.path("info")).remove("version");
		Path file = Path.of("target/contracts/openapi-broken.json");
		Files.createDirectories(file.getParent());
		Files.writeString(file, document.toString());

		Commands.Result result = ContractTools.node(VALIDATOR, file.toString());

		assertThat(result.exitCode()).isNotZero();
		assertThat(result.errors()).contains("version");
	}

	@Test
	void everyOperationNeedsABearerJwt() {
		JsonNode document = json.readTree(get("/v3/api-docs").body());
		JsonNode scheme = document.path("components").path("securitySchemes").path("bearerAuth");
		assertThat(scheme.path("type").asString()).isEqualTo("http");
		assertThat(scheme.path("scheme").asString()).isEqualTo("bearer");
		assertThat(scheme.path("bearerFormat").asString()).isEqualTo("JWT");
		assertThat(document.path("security").toString()).contains("bearerAuth");
	}

	@Test
	void itDocumentsTheApiOfAllFourRolesAndNotTheSidecarRoutes() {
		JsonNode paths = json.readTree(get("/v3/api-docs").body()).path("paths");
		List<String> documented = new ArrayList<>(paths.propertyNames());
		assertThat(documented).contains("/api/v1/tasks", "/api/v1/tasks/{id}", "/api/v1/tasks/{id}/complete",
				"/api/v1/analytics/summary", "/api/v1/notifications", "/api/v1/webhooks", "/api/v1/events",
				"/api/v1/replay", "/api/v1/deadletters");
		assertThat(documented).allMatch((path) -> path.startsWith("/api/v1/"));
	}

	@Test
	void creationsAnswer201AndDeletions204() {
		JsonNode paths = json.readTree(get("/v3/api-docs").body()).path("paths");
		assertThat(paths.path("/api/v1/tasks").path("post").path("responses").propertyNames()).contains("201")
			.doesNotContain("200");
		assertThat(paths.path("/api/v1/webhooks").path("post").path("responses").propertyNames()).contains("201");
		assertThat(paths.path("/api/v1/tasks/{id}").path("delete").path("responses").propertyNames()).contains("204");
		assertThat(paths.path("/api/v1/webhooks/{id}").path("delete").path("responses").propertyNames())
			.contains("204");
	}

	@Test
	void everyClientErrorIsAnRfc9457ProblemOfAKnownType() throws IOException {
		JsonNode document = json.readTree(get("/v3/api-docs").body());
		JsonNode problem = document.path("components").path("schemas").path("Problem");
		assertThat(problem.path("properties").propertyNames()).contains("type", "title", "status", "detail", "instance",
				"errors");
		document.path("paths").forEach((item) -> item.forEach((operation) -> {
			JsonNode responses = operation.path("responses");
			assertThat(responses.propertyNames()).contains("400", "401", "403");
			assertThat(responses.path("400")
				.path("content")
				.path("application/problem+json")
				.path("schema")
				.path("$ref")
				.asString()).isEqualTo("#/components/schemas/Problem");
		}));
		String types = problem.path("properties").path("type").path("description").asString();
		for (String slug : problemSlugsInTheCode()) {
			assertThat(types).as("problem type %s", slug).contains("https://taskstream.io/problems/" + slug);
		}
	}

	@Test
	void swaggerUiAndTheEventContractsAreServedWithoutCredentials() throws IOException {
		HttpResponse<String> ui = get("/swagger-ui.html");
		assertThat(ui.statusCode()).isEqualTo(200);
		assertThat(ui.body()).contains("swagger-ui");
		HttpResponse<String> uiConfig = get("/v3/api-docs/swagger-config");
		assertThat(uiConfig.statusCode()).isEqualTo(200);
		assertThat(uiConfig.body()).contains("/v3/api-docs");
		HttpResponse<String> yaml = get("/v3/api-docs.yaml");
		assertThat(yaml.statusCode()).isEqualTo(200);
		assertThat(yaml.body()).startsWith("openapi: 3.1");

		HttpResponse<String> schema = get("/schemas/task-event.v1.schema.json");
		assertThat(schema.statusCode()).isEqualTo(200);
		assertThat(schema.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/json"));
		assertThat(json.readTree(schema.body()))
			.isEqualTo(json.readTree(Path.of("src/main/resources/schemas/task-event.v1.schema.json").toFile()));

		HttpResponse<String> asyncApi = get("/schemas/asyncapi.yaml");
		assertThat(asyncApi.statusCode()).isEqualTo(200);
		assertThat(asyncApi.body()).isEqualTo(Files.readString(Path.of(AsyncApiContractTests.DOCUMENT)));
	}

	/** The slugs of the problem types {@code Problems} and {@code ProblemHandler} use. */
	private static List<String> problemSlugsInTheCode() throws IOException {
		List<String> slugs = new ArrayList<>();
		// a slug is the literal after "->", "?" or ":", or the one before a title literal
		Pattern slug = Pattern
			.compile("(?:(?:->|[?:])\\s*\"([a-z]+(?:-[a-z]+)*)\")|(?:\"([a-z]+(?:-[a-z]+)*)\",\\s*\"[A-Z])");
		for (String file : List.of("Problems.java", "ProblemHandler.java")) {
			Matcher matcher = slug.matcher(Files.readString(Path.of("src/main/java/io/taskstream/platform", file)));
			while (matcher.find()) {
				slugs.add((matcher.group(1) != null) ? matcher.group(1) : matcher.group(2));
			}
		}
		assertThat(slugs).contains("invalid-request", "not-found", "malformed-request", "internal-error",
				"bad-request");
		return slugs;
	}

	private HttpResponse<String> get(String path) {
		try {
			return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
