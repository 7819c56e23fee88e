package io.taskstream.platform;

import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * Reads a request body into a record and checks it with Bean Validation, every problem
 * answered as a 400 {@link Problems#invalidRequest} listing the fields. Stricter than the
 * application's own JSON mapper, which must stay lenient for events (consumers ignore
 * fields they do not know): here an unknown field, a number where text belongs or text
 * where a number belongs is the client's mistake and is reported as such.
 */
public final class RequestBodies {

	private static final JsonMapper strict = JsonMapper.builder()
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
				DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
		.withCoercionConfig(LogicalType.Textual, (config) -> {
			config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
			config.setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
			config.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
		})
		.withCoercionConfigDefaults((config) -> config.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
		.build();

	private static final ValidatorFactory factory = Validation.byDefaultProvider()
		.configure()
		.addValueExtractor(new PatchValueExtractor())
		.buildValidatorFactory();

	private static final Validator validator = factory.getValidator();

	private RequestBodies() {
	}

	/** The body as a {@code type}, checked. */
	public static <T> T read(JsonNode body, Class<T> type) {
		requireObject(body);
		T value;
		try {
			value = strict.treeToValue(body, type);
		}
		catch (JacksonException ex) {
			throw Problems.invalidRequest(List.of(problem(ex, type)));
		}
		validate(value);
		return value;
	}

	/**
	 * A merge patch: a record whose components are all {@link Patch}es, each absent, null
	 * or the value sent (read strictly as the {@code Patch}'s type argument), checked.
	 */
	public static <T extends Record> T readPatch(JsonNode body, Class<T> type) {
		requireObject(body);
		RecordComponent[] components = type.getRecordComponents();
		Set<String> names = Set.copyOf(Arrays.stream(components).map(RecordComponent::getName).toList());
		List<FieldProblem> problems = new ArrayList<>();
		for (Map.Entry<String, JsonNode> field : body.properties()) {
			if (!names.contains(field.getKey())) {
				problems.add(new FieldProblem(field.getKey(), "is not a field that can be set here"));
			}
		}
		Object[] values = new Object[components.length];
		for (int i = 0; i < components.length; i++) {
			JsonNode node = body.get(components[i].getName());
			if (node == null) {
				values[i] = Patch.absent();
			}
			else if (node.isNull()) {
				values[i] = Patch.of(null);
			}
			else {
				JavaType valueType = strict.getTypeFactory()
					.constructType(((ParameterizedType) components[i].getGenericType()).getActualTypeArguments()[0]);
				try {
					values[i] = Patch.of(strict.treeToValue(node, valueType));
				}
				catch (JacksonException ex) {
					problems.add(new FieldProblem(components[i].getName(), expected(valueType.getRawClass())));
				}
			}
		}
		if (!problems.isEmpty()) {
			throw Problems.invalidRequest(problems);
		}
		T patch;
		try {
			Constructor<T> constructor = type.getDeclaredConstructor(
					Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
			constructor.setAccessible(true);
			patch = constructor.newInstance(values);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("cannot build a " + type.getName(), ex);
		}
		validate(patch);
		return patch;
	}

	/** Every constraint violation of the value, as one 400 problem. */
	public static void validate(Object value) {
		Set<ConstraintViolation<Object>> violations = validator.validate(value);
		if (!violations.isEmpty()) {
			throw Problems.invalidRequest(violations.stream()
				.map((violation) -> new FieldProblem(field(violation.getPropertyPath()), violation.getMessage()))
				.sorted(Comparator.comparing(FieldProblem::field).thenComparing(FieldProblem::message))
				.toList());
		}
	}

	private static void requireObject(JsonNode body) {
		if (body == null || !body.isObject()) {
			throw Problems.invalidField("$", "the body must be a JSON object");
		}
	}

	private static String field(Path path) {
		for (Path.Node node : path) {
			if (node.getName() != null) {
				return node.getName();
			}
		}
		return "$";
	}

	private static FieldProblem problem(JacksonException ex, Class<?> type) {
		List<JacksonException.Reference> path = ex.getPath();
		String field = path.isEmpty() ? "$" : path.get(0).getPropertyName();
		if (field == null) {
			field = "$";
		}
		if (ex instanceof UnrecognizedPropertyException) {
			return new FieldProblem(field, "is not a field that can be set here");
		}
		Class<?> expected = null;
		if (ex instanceof DatabindException && !path.isEmpty()) {
			for (RecordComponent component : type.getRecordComponents()) {
				if (component.getName().equals(field)) {
					expected = component.getType();
				}
			}
		}
		return new FieldProblem(field, (expected != null) ? expected(expected) : "has the wrong type");
	}

	/** What a field of this type must look like, for a person. */
	private static String expected(Class<?> type) {
		if (type.isEnum()) {
			return "must be one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf).toList();
		}
		if (type == String.class) {
			return "must be a string";
		}
		if (List.class.isAssignableFrom(type) || Set.class.isAssignableFrom(type)) {
			return "must be an array of strings";
		}
		if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
			return "must be an ISO-8601 date-time with an offset, e.g. 2026-12-01T17:00:00Z";
		}
		return "has the wrong type";
	}

}
