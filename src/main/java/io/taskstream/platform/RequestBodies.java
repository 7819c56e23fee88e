package io.taskstream.platform;

import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.time.temporal.Temporal;
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
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.cfg.CoercionInputShape;
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
		.enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
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

	/**
	 * The body as a record of {@code type}, checked: each component read strictly from
	 * the field of its name (absent or {@code null} gives {@code null}, except for a
	 * {@link Patch} component: absent, cleared or the value sent), every field's problem
	 * reported at once.
	 */
	public static <T extends Record> T read(JsonNode body, Class<T> type) {
		if (body == null || !body.isObject()) {
			throw Problems.invalidField("$", "the body must be a JSON object");
		}
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
			RecordComponent component = components[i];
			JsonNode node = body.get(component.getName());
			boolean patch = component.getType() == Patch.class;
			java.lang.reflect.Type valueType = patch
					? ((ParameterizedType) component.getGenericType()).getActualTypeArguments()[0]
					: component.getGenericType();
			Object value = null;
			if (node != null && !node.isNull()) {
				JavaType javaType = strict.getTypeFactory().constructType(valueType);
				// Jackson would read a number as epoch seconds: a date must be written
				// out
				boolean temporal = Temporal.class.isAssignableFrom(javaType.getRawClass());
				try {
					if (temporal && !node.isString()) {
						throw new IllegalArgumentException("not a date-time string");
					}
					value = strict.treeToValue(node, javaType);
				}
				catch (JacksonException | IllegalArgumentException ex) {
					problems.add(new FieldProblem(component.getName(), expected(javaType.getRawClass())));
				}
			}
			boolean unread = node != null && !node.isNull() && value == null;
			values[i] = (!patch) ? value : (node == null || unread) ? Patch.absent() : Patch.of(value);
		}
		// a field that could not be read is left empty, so the others are still checked
		// and every problem is reported at once
		T record;
		try {
			Constructor<T> constructor = type.getDeclaredConstructor(
					Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
			constructor.setAccessible(true);
			record = constructor.newInstance(values);
		}
		catch (java.lang.reflect.InvocationTargetException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException("cannot build a " + type.getName(), ex);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("cannot build a " + type.getName(), ex);
		}
		Set<String> unread = Set.copyOf(problems.stream().map(FieldProblem::field).toList());
		violations(record).stream().filter((problem) -> !unread.contains(problem.field())).forEach(problems::add);
		if (!problems.isEmpty()) {
			throw Problems.invalidRequest(problems);
		}
		return record;
	}

	/** Every constraint violation of the value, as one 400 problem. */
	public static void validate(Object value) {
		List<FieldProblem> problems = violations(value);
		if (!problems.isEmpty()) {
			throw Problems.invalidRequest(problems);
		}
	}

	private static List<FieldProblem> violations(Object value) {
		Set<ConstraintViolation<Object>> violations = validator.validate(value);
		return violations.stream()
			.map((violation) -> new FieldProblem(field(violation.getPropertyPath()), violation.getMessage()))
			.sorted(Comparator.comparing(FieldProblem::field).thenComparing(FieldProblem::message))
			.toList();
	}

	private static String field(Path path) {
		for (Path.Node node : path) {
			if (node.getName() != null) {
				return node.getName();
			}
		}
		return "$";
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
		if (Temporal.class.isAssignableFrom(type)) {
			return "must be an ISO-8601 date-time with an offset, e.g. 2026-12-01T17:00:00Z";
		}
		return "has the wrong type";
	}

}
