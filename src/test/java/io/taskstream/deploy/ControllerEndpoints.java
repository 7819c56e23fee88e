package io.taskstream.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code /api/v1} endpoints of {@code src/main/java} as the front door must route
 * them, read from the controllers' mapping annotations, so the chart's route table is
 * checked against the code.
 */
final class ControllerEndpoints {

	private ControllerEndpoints() {
	}

	/**
	 * An API endpoint of the app: its full path, the role (package) and whether it
	 * streams.
	 */
	public record Endpoint(String path, String role, boolean stream) {
	}

	private static final Pattern CLASS_MAPPING = Pattern
		.compile("@RequestMapping\\((?:path = |value = )?\"(/api/v1/[^\"]*)\"");

	private static final Pattern METHOD_MAPPING = Pattern
		.compile("@(Get|Post|Put|Patch|Delete)Mapping(?:\\((.*?)\\))?\\s*\\n", Pattern.DOTALL);

	private static final Pattern FIRST_STRING = Pattern.compile("^(?:path = |value = )?\"([^\"]*)\"");

	/**
	 * Every {@code /api/v1} endpoint of src/main/java: the class's
	 * {@code @RequestMapping} path joined with the method's; the role is the module
	 * (package) that declares it.
	 */
	static List<Endpoint> all() {
		Path main = Path.of("src/main/java/io/taskstream");
		List<Endpoint> endpoints = new ArrayList<>();
		try (Stream<Path> files = Files.walk(main)) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".java")).sorted().toList()) {
				String source = Files.readString(file);
				String module = main.relativize(file).getName(0).toString();
				Matcher base = CLASS_MAPPING.matcher(source);
				String prefix = base.find() ? base.group(1) : "";
				Matcher method = METHOD_MAPPING.matcher(source);
				while (method.find()) {
					String arguments = Optional.ofNullable(method.group(2)).orElse("");
					Matcher path = FIRST_STRING.matcher(arguments.strip());
					String own = path.find() ? path.group(1) : "";
					String full = own.startsWith("/api/") ? own : prefix + own;
					if (full.startsWith("/api/")) {
						for (String concrete : alternatives(full)) {
							endpoints.add(new Endpoint(concrete, servedBy(module, concrete),
									arguments.contains("TEXT_EVENT_STREAM")));
						}
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Map<String, Endpoint> unique = new TreeMap<>();
		endpoints.forEach((endpoint) -> unique.put(endpoint.path() + " " + endpoint.role(), endpoint));
		return List.copyOf(unique.values());
	}

	private static final Pattern CONSTRAINED_VARIABLE = Pattern.compile("\\{\\w+:([\\w|]+)}");

	/**
	 * The concrete paths of a mapping: a path variable constrained to alternatives
	 * ({@code {prefix:a|b}}) stands for each of them, as Spring matches only those.
	 */
	static List<String> alternatives(String path) {
		Matcher variable = CONSTRAINED_VARIABLE.matcher(path);
		if (!variable.find()) {
			return List.of(path);
		}
		List<String> paths = new ArrayList<>();
		for (String alternative : variable.group(1).split("\\|")) {
			String concrete = path.substring(0, variable.start()) + alternative + path.substring(variable.end());
			paths.addAll(alternatives(concrete));
		}
		return paths;
	}

	/**
	 * The role module that declares an endpoint serves it; the {@code events} module's
	 * endpoints (the inbox gaps) are served by each subscriber role under its own prefix.
	 */
	private static String servedBy(String module, String path) {
		if (!module.equals("events")) {
			return module;
		}
		if (path.startsWith("/api/v1/analytics/")) {
			return "analytics";
		}
		if (path.startsWith("/api/v1/notifications/")) {
			return "notifications";
		}
		if (path.startsWith("/api/v1/events/")) {
			return "audit";
		}
		throw new IllegalStateException("no role serves the events module's endpoint " + path);
	}

}
