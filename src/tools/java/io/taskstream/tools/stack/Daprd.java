package io.taskstream.tools.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The daprd sidecar: finds (or builds, once) the binary through
 * {@code scripts/build-daprd}, and says how to start it.
 */
final class Daprd {

	private static Path cached;

	private Daprd() {
	}

	static synchronized Path path(Path repo) {
		if (cached == null) {
			try {
				Process process = new ProcessBuilder(repo.resolve("scripts/build-daprd").toString(), "--print-path")
					.redirectError(ProcessBuilder.Redirect.INHERIT)
					.start();
				String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
				if (process.waitFor() != 0 || out.isEmpty()) {
					throw new IllegalStateException("scripts/build-daprd failed; see its output above");
				}
				cached = Path.of(out);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		return cached;
	}

	/**
	 * A sidecar on loopback with the given ports, Configuration and resources.
	 * @param appPort the app's port, or {@code null} for a sidecar without an app
	 */
	static List<String> command(Path daprd, String appId, Integer appPort, StackPorts.RolePorts ports, Path config,
			Path resources) {
		List<String> command = new ArrayList<>(List.of(daprd.toString(), "--app-id", appId));
		if (appPort != null) {
			command.addAll(List.of("--app-port", Integer.toString(appPort), "--app-protocol", "http",
					"--app-channel-address", "127.0.0.1"));
		}
		command.addAll(List.of("--dapr-listen-addresses", "127.0.0.1", "--dapr-http-port",
				Integer.toString(ports.daprHttp()), "--dapr-grpc-port", Integer.toString(ports.daprGrpc()),
				"--dapr-internal-grpc-port", Integer.toString(ports.daprInternalGrpc()), "--metrics-port",
				Integer.toString(ports.daprMetrics()), "--config", config.toString(), "--log-level", "info"));
		// No --enable-app-health-check: in daprd 1.18 a sidecar that had paused delivery
		// for an unhealthy app sometimes never fetched again after the app came back (E2E
		// SIGKILL test); the bounded delivery retries of dapr-config/resiliency.yaml
		// (about
		// 2.5 minutes in all) cover an app restart instead.
		command.add("--resources-path");
		command.add(resources.toString());
		return command;
	}

}
