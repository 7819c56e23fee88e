package io.taskstream.tools.stack;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DaprdTests {

	private final StackPorts.RolePorts ports = new StackPorts.RolePorts("tasks", 8080, 3500, 4001, 4002, 9190);

	@Test
	void aRolesSidecarListensOnLoopbackOnItsPortsAndCallsItsApp() {
		List<String> command = Daprd.command(Path.of("/bin/daprd"), "tasks", 8080, this.ports, Path.of("/c.yaml"),
				Path.of("/resources"));
		assertThat(String.join(" ", command)).startsWith("/bin/daprd --app-id tasks --app-port 8080")
			.contains("--dapr-listen-addresses 127.0.0.1", "--dapr-http-port 3500", "--dapr-grpc-port 4001",
					"--dapr-internal-grpc-port 4002", "--metrics-port 9190", "--config /c.yaml")
			.endsWith("--resources-path /resources")
			.doesNotContain("--enable-app-health-check");
	}

	@Test
	void aSidecarWithoutAnAppHasNoAppPort() {
		assertThat(Daprd.command(Path.of("daprd"), "bench", null, this.ports, Path.of("c"), Path.of("r")))
			.doesNotContain("--app-port", "--app-channel-address");
	}

}
