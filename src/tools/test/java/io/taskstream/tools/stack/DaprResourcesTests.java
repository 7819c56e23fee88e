package io.taskstream.tools.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class DaprResourcesTests {

	@TempDir
	Path repo;

	@Test
	void theResourcesAreTheRepositorysWithThisStacksZipkinPort() throws IOException {
		write("components/pubsub.yaml", "kind: Component\n");
		write("components/notes.txt", "not a resource");
		write("dapr-config/resiliency.yaml", "kind: Resiliency\n");
		write("dapr-config/config.yaml",
				"tracing:\n  samplingRate: \"1\"\n  zipkin:\n    endpointAddress: http://127.0.0.1:9411/api/v2/spans\n");
		DaprResources dapr = new DaprResources(this.repo, this.repo.resolve("state"), 19411, "0");

		Path resources = dapr.resources();
		try (var files = Files.list(resources)) {
			assertThat(files.map((f) -> f.getFileName().toString())).containsExactlyInAnyOrder("pubsub.yaml",
					"resiliency.yaml");
		}
		String config = Files.readString(dapr.config());
		assertThat(config).contains("http://127.0.0.1:19411/api/v2/spans").contains("samplingRate: \"0\"");
		assertThat(Files.readString(new DaprResources(this.repo, this.repo.resolve("other"), 9411, " ").config()))
			.contains("samplingRate: \"1\"");
	}

	@Test
	void syncTouchesOnlyWhatDiffersAndRemovesTheRest() throws IOException {
		Path dir = this.repo.resolve("resources");
		DaprResources.sync(dir, Map.of("a.yaml", "a", "b.yaml", "b"));
		FileTime old = FileTime.fromMillis(0);
		Files.setLastModifiedTime(dir.resolve("a.yaml"), old);

		DaprResources.sync(dir, Map.of("a.yaml", "a", "c.yaml", "c"));

		// running sidecars reload on any write: an unchanged file keeps its time
		assertThat(Files.getLastModifiedTime(dir.resolve("a.yaml"))).isEqualTo(old);
		assertThat(dir.resolve("b.yaml")).doesNotExist();
		assertThat(dir.resolve("c.yaml")).hasContent("c");
	}

	@Test
	void aRolesSecuredResourcesNameItsCredentialsOnlyByReferenceFromItsOwnScopedSecretStore() throws IOException {
		for (String file : java.util.List.of("components/pubsub-kafka.yaml", "components/subscriptions.yaml",
				"dapr-config/resiliency.yaml")) {
			write(file, Files.readString(Path.of(file)));
		}
		DaprResources dapr = new DaprResources(this.repo, this.repo.resolve("state"), 19411, null);

		Path resources = dapr.securedResources("analytics", Map.of("kafka-username", "analytics", "kafka-password",
				"s3cret\"pw", "kafka-ca-cert", "-----BEGIN\nX"));

		String kafka = Files.readString(resources.resolve("pubsub-kafka.yaml"));
		assertThat(kafka).doesNotContain("s3cret")
			.contains("value: \"password\"")
			.contains("secretKeyRef:")
			.contains("auth:\n  secretStore: taskstream-secrets\nscopes:");
		String store = Files.readString(resources.resolve("secretstore.yaml"));
		assertThat(store).contains("secretstores.local.file").contains("scopes:\n  - analytics\n");
		Path secrets = this.repo.resolve("state/dapr/secrets/analytics.json");
		assertThat(store).contains("value: \"" + secrets + "\"");
		assertThat(Files.readString(secrets)).contains("\"kafka-password\": \"s3cret\\\"pw\"")
			.contains("\"kafka-ca-cert\": \"-----BEGIN\\nX\"");
		assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets)))
			.isEqualTo("rw-------");
		// valid by Dapr's CRDs, and only metadata the Kafka component defines
		for (String file : java.util.List.of("pubsub-kafka.yaml", "secretstore.yaml")) {
			for (var document : io.taskstream.deploy.Manifests.documents(file,
					Files.readString(resources.resolve(file)))) {
				assertThat(io.taskstream.deploy.DaprResources.validate(document.node())).as(file).isEmpty();
			}
		}
		assertThat(io.taskstream.deploy.DaprResources
			.unknownKafkaMetadata(io.taskstream.deploy.Manifests.documents("kafka", kafka).get(0).node())).isEmpty();
		// another role's folder does not name this role's secrets
		Path tasks = dapr.securedResources("tasks",
				Map.of("kafka-username", "tasks", "kafka-password", "p", "kafka-ca-cert", "c"));
		assertThat(Files.readString(tasks.resolve("secretstore.yaml"))).doesNotContain("analytics");
	}

	private void write(String relative, String text) throws IOException {
		Path file = this.repo.resolve(relative);
		Files.createDirectories(file.getParent());
		Files.writeString(file, text);
	}

}
