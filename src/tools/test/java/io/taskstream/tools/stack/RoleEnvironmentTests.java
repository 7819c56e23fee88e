package io.taskstream.tools.stack;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RoleEnvironmentTests {

	private final StackPorts ports = StackPorts.forTests();

	@TempDir
	Path state;

	@Test
	void anAppKnowsItsRolePortDatabaseSidecarAndZipkin() {
		RoleEnvironment environment = new RoleEnvironment(this.ports, Map.of("TASKSTREAM_SSE_HEARTBEAT", "1s"),
				(name) -> null, new StackSecrets(this.state));
		Map<String, String> env = environment.forApp(this.ports.of("audit"));
		assertThat(env).containsEntry("TASKSTREAM_ROLES", "audit")
			.containsEntry("SERVER_PORT", "18083")
			.containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:15442/postgres")
			.containsEntry("DAPR_HTTP_PORT", "13503")
			.containsEntry("MANAGEMENT_PORT", "19083")
			.containsEntry("SPRING_APPLICATION_NAME", "audit")
			.containsEntry("ZIPKIN_ENDPOINT", "http://127.0.0.1:19411/api/v2/spans")
			.containsEntry("TASKSTREAM_SSE_HEARTBEAT", "1s")
			.containsEntry("TASKSTREAM_IDENTITY_DEV_ISSUER_ENABLED", "true")
			.doesNotContainKeys("DAPR_API_TOKEN");
	}

	@Test
	void everyRoleSharesTheStacksOwnIssuerKeyAndAppTokenMadeOnce() throws Exception {
		RoleEnvironment environment = new RoleEnvironment(this.ports, Map.of(), (name) -> null,
				new StackSecrets(this.state));
		Map<String, String> tasks = environment.forApp(this.ports.of("tasks"));
		Map<String, String> audit = environment.forApp(this.ports.of("audit"));
		Path key = Path.of(tasks.get("TASKSTREAM_IDENTITY_DEV_ISSUER_KEY_FILE"));
		assertThat(key).startsWith(this.state).content().startsWith("-----BEGIN " + "PRIVATE KEY-----");
		assertThat(audit.get("TASKSTREAM_IDENTITY_DEV_ISSUER_KEY_FILE")).isEqualTo(key.toString());
		assertThat(tasks.get("APP_API_TOKEN")).isNotBlank()
			.isEqualTo(audit.get("APP_API_TOKEN"))
			.isEqualTo(environment.forSidecar().get("APP_API_TOKEN"))
			.isEqualTo(new RoleEnvironment(this.ports, Map.of(), (name) -> null, new StackSecrets(this.state))
				.forApp(this.ports.of("tasks"))
				.get("APP_API_TOKEN"));
	}

	@Test
	void theApiTokensGoToAppAndSidecarTheStacksOwnBeforeTheInheritedOnes() {
		RoleEnvironment environment = new RoleEnvironment(this.ports, Map.of("APP_API_TOKEN", "mine"),
				(name) -> name.equals("DAPR_API_TOKEN") ? "inherited" : "ignored", new StackSecrets(this.state));
		assertThat(environment.forApp(this.ports.of("tasks"))).containsEntry("APP_API_TOKEN", "mine")
			.containsEntry("DAPR_API_TOKEN", "inherited");
		assertThat(environment.forSidecar()).containsOnly(Map.entry("APP_API_TOKEN", "mine"),
				Map.entry("DAPR_API_TOKEN", "inherited"), Map.entry("KAFKA_BROKERS", "127.0.0.1:19092"));
	}

	@Test
	void aRolesHeapComesFromTheStacksOverridesThenTheLaunchingEnvironmentElse256m() {
		Map<String, String> inherited = Map.of("TASKSTREAM_STACK_HEAP_TASKS", "512m",
				"TASKSTREAM_STACK_HEAP_NOTIFICATIONS", "384m");
		RoleEnvironment environment = new RoleEnvironment(this.ports,
				Map.of("TASKSTREAM_STACK_HEAP_NOTIFICATIONS", "1g"), inherited::get, new StackSecrets(this.state));
		assertThat(environment.heap("notifications")).isEqualTo("1g");
		assertThat(environment.heap("tasks")).isEqualTo("512m");
		assertThat(environment.heap("audit")).isEqualTo("256m");
	}

	@Test
	void aHeapThatIsNotASizeIsRefusedByName() {
		RoleEnvironment environment = new RoleEnvironment(this.ports,
				Map.of("TASKSTREAM_STACK_HEAP_NOTIFICATIONS", "1 GB"), (name) -> null, new StackSecrets(this.state));
		assertThatIllegalArgumentException().isThrownBy(() -> environment.heap("notifications"))
			.withMessageContaining("TASKSTREAM_STACK_HEAP_NOTIFICATIONS")
			.withMessageContaining("'1 GB'");
	}

}
