package io.taskstream.tools.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AttachmentTests {

	private static final Path REPO = Path.of("").toAbsolutePath();

	@TempDir
	Path state;

	@Test
	void anAppIdAndAPortAttachToTheFourTaskTopicsOnTheChartsDefaultRoute() {
		Attachment attachment = Attachment.parse(List.of("billing", "--app-port", "8000"));
		assertThat(attachment).isEqualTo(new Attachment("billing", 8000,
				List.of("task.created", "task.updated", "task.deleted", "task.completed"), "/events"));
		assertThat(attachment.route("task.created")).isEqualTo("/events/task.created");
		assertThat(Attachment.parse(List.of("search-2", "--topics", "task.completed, task.created", "--app-port",
				"18600", "--route-prefix", "/dapr/in")))
			.isEqualTo(new Attachment("search-2", 18600, List.of("task.completed", "task.created"), "/dapr/in"));
	}

	@Test
	void whatIsStoredParsesBackToTheSameAttachment() {
		Attachment attachment = new Attachment("billing", 8000, List.of("task.updated"), "/in");
		assertThat(Attachment.parse(attachment.arguments())).isEqualTo(attachment);
	}

	@Test
	void aBadAppIdIsRefusedWithTheRule() {
		for (String appId : List.of("Billing", "billing_v2", "billing-", "billing.team", "a".repeat(64), "")) {
			assertThatExceptionOfType(Attachment.Invalid.class)
				.isThrownBy(() -> Attachment.parse(List.of(appId, "--app-port", "8000")))
				.as(appId)
				.withMessageContaining("is not a DNS label");
		}
		for (String role : StackPorts.ROLES) {
			assertThatExceptionOfType(Attachment.Invalid.class)
				.isThrownBy(() -> Attachment.parse(List.of(role, "--app-port", "8000")))
				.withMessageContaining("is a role's");
		}
		assertThat(Attachment.parse(List.of("a".repeat(63), "--app-port", "8000")).appId()).hasSize(63);
	}

	@Test
	void aPortOutOfRangeOrEphemeralIsRefused() {
		assertThatExceptionOfType(Attachment.Invalid.class)
			.isThrownBy(() -> Attachment.parse(List.of("billing", "--app-port", "0")))
			.withMessage("--app-port 0 is out of range (1-65535)");
		assertThatExceptionOfType(Attachment.Invalid.class)
			.isThrownBy(() -> Attachment.parse(List.of("billing", "--app-port", "65536")))
			.withMessageContaining("out of range");
		assertThatExceptionOfType(Attachment.Invalid.class)
			.isThrownBy(() -> Attachment.parse(List.of("billing", "--app-port", "eighty")))
			.withMessageContaining("not a port number");
		for (String port : List.of("32768", "50000", "60999")) {
			assertThatExceptionOfType(Attachment.Invalid.class)
				.isThrownBy(() -> Attachment.parse(List.of("billing", "--app-port", port)))
				.withMessageContaining("ephemeral range");
		}
		assertThat(Attachment.parse(List.of("billing", "--app-port", "61000")).appPort()).isEqualTo(61000);
	}

	@Test
	void onlyTheFourTaskTopicsCanBeTakenEachOnce() {
		for (String topic : List.of("task.replay", "task.deadletter", "task.archived", "")) {
			assertThatExceptionOfType(Attachment.Invalid.class)
				.isThrownBy(() -> Attachment.parse(List.of("billing", "--app-port", "8000", "--topics", topic)))
				.as(topic)
				.withMessageStartingWith("unknown topic '" + topic + "'");
		}
		assertThatExceptionOfType(Attachment.Invalid.class)
			.isThrownBy(() -> Attachment
				.parse(List.of("billing", "--app-port", "8000", "--topics", "task.created,task.created")))
			.withMessage("topic task.created given twice");
	}

	@Test
	void aWrongCommandLineSaysWhatIsMissing() {
		assertThatExceptionOfType(Attachment.Invalid.class).isThrownBy(() -> Attachment.parse(List.of()))
			.withMessageStartingWith("attach needs an app-id first");
		assertThatExceptionOfType(Attachment.Invalid.class)
			.isThrownBy(() -> Attachment.parse(List.of("--app-port", "8000")))
			.withMessageStartingWith("attach needs an app-id first");
		assertThatExceptionOfType(Attachment.Invalid.class).isThrownBy(() -> Attachment.parse(List.of("billing")))
			.withMessageStartingWith("attach needs --app-port");
		assertThatExceptionOfType(Attachment.Invalid.class)
			.isThrownBy(() -> Attachment.parse(List.of("billing", "--app-port")))
			.withMessageStartingWith("--app-port needs a value");
		assertThatExceptionOfType(Attachment.Invalid.class)
			.isThrownBy(() -> Attachment.parse(List.of("billing", "--app-port", "8000", "--app-port", "8001")))
			.withMessage("--app-port given twice");
		assertThatExceptionOfType(Attachment.Invalid.class)
			.isThrownBy(() -> Attachment.parse(List.of("billing", "--port", "8000")))
			.withMessageStartingWith("unknown option '--port'");
		assertThatExceptionOfType(Attachment.Invalid.class)
			.isThrownBy(() -> Attachment.parse(List.of("billing", "--app-port", "8000", "--route-prefix", "events")))
			.withMessageContaining("is not a path");
	}

	@Test
	void theStackCommandTakesAttachAndDetach() {
		StackCommand attach = StackCommand.parse("attach", "billing", "--app-port", "8000");
		assertThat(attach.verb()).isEqualTo(StackCommand.Verb.ATTACH);
		assertThat(attach.attachment().appId()).isEqualTo("billing");
		assertThat(StackCommand.parse("detach", "billing"))
			.isEqualTo(new StackCommand(StackCommand.Verb.DETACH, "billing", false));
		assertThatExceptionOfType(Attachment.Invalid.class).isThrownBy(() -> StackCommand.parse("detach", "tasks"));
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> StackCommand.parse("detach"))
			.withMessage("detach needs one part");
	}

	@Test
	void theSidecarGetsTheComponentTheResiliencyAndPublishesOnlyDeadLetters() throws IOException {
		Map<String, String> files = new Attachment("billing", 8000, List.of("task.created", "task.completed"),
				"/events")
			.resources(Files.readString(REPO.resolve("components/pubsub-kafka.yaml")),
					Files.readString(REPO.resolve("dapr-config/resiliency.yaml")));
		assertThat(files).containsOnlyKeys("pubsub-kafka.yaml", "resiliency.yaml", "subscriptions.yaml");
		String component = files.get("pubsub-kafka.yaml");
		assertThat(component).endsWith("scopes:\n  - tasks\n  - analytics\n  - notifications\n  - audit\n  - billing\n")
			.containsPattern("name: publishingScopes\n\\s+value: \"tasks=[^\"]*;billing=task.deadletter\"\n")
			.containsPattern(
					"name: subscriptionScopes\n\\s+value: \"tasks=[^\"]*;billing=task.created,task.completed\"\n")
			// everything else as the repository has it
			.contains("value: \"{appID}\"", "initialOffset", "envRef: KAFKA_BROKERS");
		assertThat(files.get("resiliency.yaml"))
			.contains("scopes:\n  - tasks\n  - analytics\n  - notifications\n  - audit\n  - billing\nspec:")
			.contains("maxRetries: 20");
		assertThat(files.get("subscriptions.yaml")).contains("""
				apiVersion: dapr.io/v2alpha1
				kind: Subscription
				metadata:
				  name: billing-task-completed
				spec:
				  pubsubname: taskstream-pubsub
				  topic: task.completed
				  routes:
				    default: /events/task.completed
				  deadLetterTopic: task.deadletter
				scopes:
				  - billing
				""").contains("name: billing-task-created").doesNotContain("task.updated");
	}

	@Test
	void aComponentWithoutScopesCannotBeAttachedTo() {
		Attachment attachment = new Attachment("billing", 8000, List.of("task.created"), "/events");
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> attachment.resources("kind: Component\n", "kind: Resiliency\nscopes:\n  - tasks\n"))
			.withMessageContaining("components/pubsub-kafka.yaml changed");
	}

	@Test
	void anAttachedAppIsKeptInTheStateFolderWithItsOwnTokens() throws IOException {
		AttachedApps apps = new AttachedApps(this.state);
		Attachment attachment = new Attachment("billing", 8000, List.of("task.created"), "/events");
		StackPorts.RolePorts sidecar = StackPorts.forTests().attached(2, "billing", 8000);
		AttachedApps.Attached attached = AttachedApps.newAttached(attachment, sidecar);
		apps.save(attached, Map.of("pubsub-kafka.yaml", "kind: Component\n"), REPO);

		assertThat(apps.list()).containsExactly(attached);
		assertThat(attached.appApiToken()).isNotEqualTo(attached.daprApiToken()).hasSizeGreaterThan(30);
		assertThat(Files.readString(apps.resources("billing").resolve("pubsub-kafka.yaml")))
			.isEqualTo("kind: Component\n");
		assertThat(PosixFilePermissions
			.toString(Files.getPosixFilePermissions(this.state.resolve("attached/billing/attachment.properties"))))
			.isEqualTo("rw-------");
		assertThat(Files.readString(apps.environmentFile("billing"))).contains("DAPR_HTTP_PORT='13620'\n",
				"APP_PORT='8000'\n", "APP_API_TOKEN='" + attached.appApiToken() + "'\n",
				"PUBSUB_NAME='taskstream-pubsub'\n",
				"TASK_EVENT_SCHEMA='" + REPO.resolve("src/main/resources/schemas/task-event.v1.schema.json") + "'\n");
		assertThat(attached.sidecarEnvironment(19092)).containsEntry("KAFKA_BROKERS", "127.0.0.1:19092")
			.containsEntry("APP_API_TOKEN", attached.appApiToken());

		apps.remove("billing");
		assertThat(apps.list()).isEmpty();
		assertThat(this.state.resolve("attached/billing")).doesNotExist();
	}

	@Test
	void attachedSidecarsTakePortsOfTheirOwnBelowTheEphemeralRange() {
		for (StackPorts plan : List.of(StackPorts.fromEnvironment(Map.of()), StackPorts.forTests(),
				StackPorts.forSecureTests(), StackPorts.forBench())) {
			for (int slot = 0; slot < AttachedApps.SLOTS; slot++) {
				StackPorts.RolePorts sidecar = plan.attached(slot, "billing", 8000);
				for (int port : StackPorts.sidecar(sidecar).values()) {
					assertThat(Attachment.ephemeral(port)).isFalse();
					assertThat(plan.all().values()).doesNotContain(port);
				}
			}
		}
		assertThat(StackPorts.fromEnvironment(Map.of()).attached(0, "billing", 8000).daprHttp()).isEqualTo(3600);
	}

}
