package io.taskstream.docs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.taskstream.Commands;

/**
 * The contract checkers and the example subscribers' Python venv, installed into a cache
 * outside the repository by {@code scripts/install-contract-tools} (the AsyncAPI parser
 * and Redocly's OpenAPI core from npm, pytest and the example's pinned requirements from
 * PyPI), and a way to run them. A missing node, npm or python3 fails the install, so the
 * tests that need them fail loudly instead of being skipped.
 */
final class ContractTools {

	private static Map<String, Path> paths;

	private ContractTools() {
	}

	/** The {@code node_modules} folder holding the validators, for {@code NODE_PATH}. */
	static Path nodeModules() {
		return path("node-modules");
	}

	/** The Python of the example subscriber's venv (its requirements and pytest). */
	static Path python() {
		return path("python");
	}

	/** Runs a node script with the validators on its module path. */
	static Commands.Result node(String script, String... args) {
		List<String> command = new ArrayList<>(List.of("node", script));
		command.addAll(List.of(args));
		return Commands.run(Path.of("."), Map.of("NODE_PATH", nodeModules().toString()), command);
	}

	private static synchronized Path path(String tool) {
		if (paths == null) {
			paths = Commands.installedPaths("scripts/install-contract-tools");
		}
		return paths.get(tool);
	}

}
