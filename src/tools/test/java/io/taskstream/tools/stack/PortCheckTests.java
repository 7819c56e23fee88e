package io.taskstream.tools.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PortCheckTests {

	@Test
	void aBusyPortIsNamedWithTheProcessThatHoldsIt() throws IOException {
		try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			List<String> busy = new PortCheck().busy(Map.of("tasks-dapr-grpc", held.getLocalPort()));
			assertThat(busy).singleElement()
				.asString()
				.startsWith("tasks-dapr-grpc port " + held.getLocalPort() + " is in use by ")
				.contains("pid " + ProcessHandle.current().pid() + " (")
				.contains("java");
		}
	}

	@Test
	void aFreePortIsNotReported() throws IOException {
		int port;
		try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = probe.getLocalPort();
		}
		assertThat(new PortCheck().busy(Map.of("zipkin", port))).isEmpty();
	}

	@Test
	void withoutSocketTablesTheHolderIsUnknownNotAFailure() throws IOException {
		try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			PortCheck check = new PortCheck(java.nio.file.Path.of("/nonexistent-proc"));
			assertThat(check.busy(Map.of("kafka", held.getLocalPort()))).singleElement()
				.asString()
				.contains("an unknown process");
		}
	}

}
