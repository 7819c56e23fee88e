package io.taskstream.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.taskstream.Commands;

/**
 * The offline checkers, installed into a cache outside the repository by
 * {@code scripts/install-deploy-tools} (helm and kustomize from their Go modules,
 * kubernetes-validate from PyPI), and a way to run them.
 */
final class DeployTools {

	/** The Kubernetes version the chart is rendered for and validated against. */
	static final String KUBE_VERSION = "1.34.0";

	private static Map<String, Path> paths;

	private DeployTools() {
	}

	static Path helm() {
		return path("helm");
	}

	static Path kustomize() {
		return path("kustomize");
	}

	static Path kubernetesValidate() {
		return path("kubernetes-validate");
	}

	static Commands.Result run(List<String> command) {
		return Commands.run(command);
	}

	private static synchronized Path path(String tool) {
		if (paths == null) {
			paths = Commands.installedPaths("scripts/install-deploy-tools");
		}
		return paths.get(tool);
	}

	static List<String> command(Path tool, String... args) {
		List<String> command = new ArrayList<>(List.of(tool.toString()));
		command.addAll(List.of(args));
		return command;
	}

}
