package io.taskstream.tools.stack;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RoleEnvironmentTests {

	private final StackPorts ports = StackPorts.forTests();

	@Test
	void anAppKnowsItsRolePortDatabaseSidecarAndZipkin() {
		RoleEnvironment environment = new RoleEnvironment(this.ports, Map.of("TASKSTREAM_OPERATOR_TOKEN", "op"),
				(name) -> null);
		Map<String, String> env = environment.forApp(this.ports.of("audit"));
		assertThat(env).containsEntry("TASKSTREAM_ROLES", "audit")
			.containsEntry("SERVER_PORT", "18083")
			.containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:15442/postgres")
			.containsEntry("DAPR_HTTP_PORT", "13503")
			.containsEntry("SPRING_APPLICATION_NAME", "taskstream-audit")
			.containsEntry("ZIPKIN_ENDPOINT", "http://127.0.0.1:19411/api/v2/spans")
			.containsEntry("TASKSTREAM_OPERATOR_TOKEN", "op")
			.doesNotContainKeys("APP_API_TOKEN", "DAPR_API_TOKEN");
	}

	@Test
	void theApiTokensGoToAppAndSidecarTheStacksOwnBeforeTheInheritedOnes() {
		RoleEnvironment environment = new RoleEnvironment(this.ports, Map.of("APP_API_TOKEN", "mine"),
				(name) -> name.equals("DAPR_API_TOKEN") ? "inherited" : "ignored");
		assertThat(environment.forApp(this.ports.of("tasks"))).containsEntry("APP_API_TOKEN", "mine")
			.containsEntry("DAPR_API_TOKEN", "inherited");
		assertThat(environment.forSidecar()).containsOnly(Map.entry("APP_API_TOKEN", "mine"),
				Map.entry("DAPR_API_TOKEN", "inherited"), Map.entry("KAFKA_BROKERS", "127.0.0.1:19092"));
	}

}
