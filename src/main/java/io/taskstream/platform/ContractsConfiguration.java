package io.taskstream.platform;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The published contracts of a running install, public and without auth so a team can
 * code against them: the OpenAPI 3.1 document springdoc generates from this process's
 * controllers ({@value #OPENAPI_PATH}, Swagger UI at {@value #SWAGGER_UI_PATH}), and the
 * event contracts under {@value #SCHEMAS_PATH}: the envelope's JSON Schema
 * ({@code task-event.v1.schema.json}, the CloudEvents' {@code dataschema}) and the
 * AsyncAPI document ({@code asyncapi.yaml}).
 */
@Configuration(proxyBeanMethods = false)
class ContractsConfiguration implements WebMvcConfigurer {

	/** The generated OpenAPI document (JSON; {@code .yaml} appended gives YAML). */
	static final String OPENAPI_PATH = "/v3/api-docs";

	/** Swagger UI; it redirects to {@code /swagger-ui/index.html}. */
	static final String SWAGGER_UI_PATH = "/swagger-ui.html";

	/** The event contracts, files of {@code src/main/resources/schemas/}. */
	static final String SCHEMAS_PATH = "/schemas/";

	/** Every path that must stay public for the contracts to be readable. */
	static final List<String> PUBLIC_PATHS = List.of(OPENAPI_PATH, OPENAPI_PATH + ".yaml", OPENAPI_PATH + "/**",
			"/swagger-ui.html", "/swagger-ui/**", SCHEMAS_PATH + "**");

	static final String BEARER_AUTH = "bearerAuth";

	static final String PROBLEM = "Problem";

	static {
		// The caller is resolved from the request's credentials, not a parameter, and the
		// bodies read as JSON trees are checked field by field (the 400 lists them).
		SpringDocUtils.getConfig()
			.addRequestWrapperToIgnore(UserId.class)
			.replaceWithSchema(tools.jackson.databind.JsonNode.class,
					new ObjectSchema().description("A JSON object; its fields are described in docs/api.md."));
	}

	@Override
	public void addResourceHandlers(ResourceHandlerRegistry registry) {
		registry.addResourceHandler(SCHEMAS_PATH + "**").addResourceLocations("classpath:/schemas/");
	}

	@Bean
	OpenAPI taskstreamOpenApi() {
		return new OpenAPI()
			.info(new Info().title("Taskstream HTTP API")
				.version("v1")
				.description("""
						The HTTP API of the Taskstream roles this process runs (tasks, analytics, \
						notifications, audit). Every call needs a bearer JWT; operator endpoints \
						(rebuild, replay, dead letters) need an operator credential. Every 4xx and \
						5xx answer is an RFC 9457 problem (application/problem+json) whose `type` \
						is a stable URI under %s. The events are described by the AsyncAPI \
						document at %sasyncapi.yaml.""".formatted(Problems.TYPE_BASE, SCHEMAS_PATH))
				.license(new License().name("Apache-2.0")))
			.components(new Components().addSecuritySchemes(BEARER_AUTH,
					new SecurityScheme().type(SecurityScheme.Type.HTTP)
						.scheme("bearer")
						.bearerFormat("JWT")
						.description("An OAuth 2.0 access token (JWT) from the install's issuer.")))
			.addSecurityItem(new SecurityRequirement().addList(BEARER_AUTH));
	}

	/**
	 * Keeps the document to the public API ({@code /api/v1}): the {@code /dapr} routes
	 * belong to the sidecar. Declares the problem answers each operation can give.
	 */
	@Bean
	OpenApiCustomizer taskstreamProblemResponses() {
		return (openApi) -> {
			if (openApi.getPaths() == null) {
				return;
			}
			openApi.getPaths().keySet().removeIf((path) -> !path.startsWith("/api/v1/"));
			// springdoc drops unreferenced schemas before customizers run, so add it here
			openApi.getComponents().addSchemas(PROBLEM, problemSchema());
			openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
				ApiResponses responses = (operation.getResponses() != null) ? operation.getResponses()
						: new ApiResponses();
				operation.setResponses(responses);
				// a controller that produces both JSON and problem JSON answers success
				// as JSON
				responses.forEach((status, response) -> {
					if (status.startsWith("2") && response.getContent() != null && response.getContent().size() > 1) {
						response.getContent().remove(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE);
					}
				});
				addProblem(responses, "400", "The request is invalid: `errors` lists each wrong field ("
						+ Problems.TYPE_BASE + "invalid-request, " + Problems.TYPE_BASE + "malformed-request).");
				addProblem(responses, "401", "No valid credential (" + Problems.TYPE_BASE + "unauthenticated).");
				addProblem(responses, "403",
						"The credential does not allow this call (" + Problems.TYPE_BASE + "forbidden).");
				if (path.contains("{")) {
					addProblem(responses, "404",
							"No such resource for this caller (" + Problems.TYPE_BASE + "not-found).");
				}
				if (hasHeader(operation, "If-Match")) {
					addProblem(responses, "412",
							"If-Match names another version (" + Problems.TYPE_BASE + "version-mismatch).");
				}
				if (operation.getRequestBody() != null) {
					addProblem(responses, "413",
							"The body is too large (" + Problems.TYPE_BASE + "payload-too-large).");
					addProblem(responses, "415", "The body's media type is not accepted (" + Problems.TYPE_BASE
							+ "unsupported-media-type).");
				}
				addProblem(responses, "500", "Unexpected failure, logged (" + Problems.TYPE_BASE + "internal-error).");
				if (method == PathItem.HttpMethod.GET && operation.getResponses().get("200") == null) {
					operation.getResponses().addApiResponse("200", new ApiResponse().description("OK"));
				}
			}));
		};
	}

	private static boolean hasHeader(Operation operation, String name) {
		return operation.getParameters() != null && operation.getParameters()
			.stream()
			.anyMatch((parameter) -> "header".equals(parameter.getIn()) && name.equalsIgnoreCase(parameter.getName()));
	}

	private static void addProblem(ApiResponses responses, String status, String description) {
		responses.putIfAbsent(status,
				new ApiResponse().description(description)
					.content(new Content().addMediaType(
							org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
							new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)))));
	}

	/** RFC 9457 problem details, with Taskstream's {@code errors} extension. */
	@SuppressWarnings("rawtypes")
	private static Schema problemSchema() {
		Map<String, Schema> properties = new java.util.LinkedHashMap<>();
		properties.put("type", new StringSchema().format("uri")
			.description("A stable URI naming the problem; clients branch on it. One of "
					+ String.join(", ", Problems.TYPES.stream().map((slug) -> Problems.TYPE_BASE + slug).toList())
					+ ".")
			.example(Problems.TYPE_BASE + "invalid-request"));
		properties.put("title", new StringSchema().description("A short summary of the problem type, for people."));
		properties.put("status", new IntegerSchema().description("The HTTP status code."));
		properties.put("detail", new StringSchema().description("What went wrong this time, for people."));
		properties.put("instance", new StringSchema().format("uri-reference").description("The request path."));
		properties.put("errors",
				new ArraySchema().description("For invalid-request: each wrong field and what is wrong with it.")
					.items(new ObjectSchema().addProperty("field", new StringSchema())
						.addProperty("message", new StringSchema())
						.required(List.of("field", "message"))));
		Schema<Object> problem = new ObjectSchema().description("An RFC 9457 problem (application/problem+json).");
		problem.setProperties(properties);
		problem.setRequired(List.of("type", "title", "status"));
		return problem;
	}

}
