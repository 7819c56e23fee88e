package io.taskstream.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Go modules in the local module cache ({@code go mod download}), where the schemas the
 * checks read come from: Dapr's CRDs, components-contrib's component metadata, the
 * Prometheus Operator's CRDs and the Gateway API's. Downloads once per machine; the Go
 * module proxy serves them.
 */
final class GoModules {

	/** The Dapr control plane the chart targets (the clusters' CRDs). */
	static final String DAPR = "github.com/dapr/dapr@v1.18.3";

	/** The components of that Dapr version (its go.mod requires this one). */
	static final String COMPONENTS_CONTRIB = "github.com/dapr/components-contrib@v1.18.4";

	/** ServiceMonitor and PrometheusRule CRDs. */
	static final String PROMETHEUS_OPERATOR = "github.com/prometheus-operator/prometheus-operator@v0.85.0";

	/** Gateway, HTTPRoute and the other standard-channel Gateway API CRDs. */
	static final String GATEWAY_API = "sigs.k8s.io/gateway-api@v1.6.3";

	private static final Map<String, Path> directories = new ConcurrentHashMap<>();

	private GoModules() {
	}

	/** The module's directory in the module cache, downloading it if needed. */
	static Path directory(String moduleAtVersion) {
		return directories.computeIfAbsent(moduleAtVersion, GoModules::download);
	}

	private static Path download(String moduleAtVersion) {
		List<String> command = List.of("go", "mod", "download", "-json", moduleAtVersion);
		try {
			Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
			String json = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			JsonNode result = JsonMapper.shared().readTree(json);
			if (process.waitFor() != 0 || result.hasNonNull("Error") || !result.hasNonNull("Dir")) {
				throw new IllegalStateException(String.join(" ", command) + " failed: " + json);
			}
			return Path.of(result.path("Dir").asString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(
					"Go is needed to read the CRDs from the Go module cache (the daprd build needs it too): "
							+ ex.getMessage(),
					ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
