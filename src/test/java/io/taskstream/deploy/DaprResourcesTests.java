package io.taskstream.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.TreeMap;
import java.util.Set;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every file in {@code components/} and {@code dapr-config/} is a valid Dapr resource by
 * the CRDs of Dapr v1.18.3 (what the clusters run; the local stack's daprd is 1.18.0),
 * the Kafka component names only metadata that components-contrib defines, and no retry
 * is unbounded.
 */
class DaprResourcesTests {

	static Stream<Manifests.Document> resources() {
		return Manifests.documents(Path.of("components"), Path.of("dapr-config")).stream();
	}

	@Test
	void thereAreTheResourcesTheStackNeeds() {
		assertThat(resources().map(Manifests.Document::kind)).contains("Component", "Subscription", "Configuration",
				"Resiliency");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("resources")
	void eachResourceIsValidByDaprsCrds(Manifests.Document resource) {
		assertThat(DaprResources.validate(resource.node())).isEmpty();
	}

	@Test
	void theKafkaComponentUsesOnlyMetadataTheComponentDefines() {
		List<JsonNode> kafka = resources().map(Manifests.Document::node)
			.filter((node) -> node.path("spec").path("type").asString().equals("pubsub.kafka"))
			.toList();
		assertThat(kafka).hasSize(1);
		assertThat(DaprResources.unknownKafkaMetadata(kafka.get(0))).isEmpty();
	}

	@Test
	void noRetryPolicyIsUnbounded() {
		resources().filter((resource) -> resource.kind().equals("Resiliency"))
			.flatMap((resource) -> resource.node().path("spec").path("policies").path("retries").properties().stream())
			.forEach((retry) -> assertThat(retry.getValue().path("maxRetries").asInt(-1)).as(retry.getKey())
				.isBetween(0, 100));
	}

	@Test
	void everySubscriptionHasTheDeadLetterTopicButTheDeadLetterOne() {
		resources().filter((resource) -> resource.kind().equals("Subscription"))
			.map(Manifests.Document::node)
			.filter((node) -> !node.at("/spec/topic").asString().equals("task.deadletter"))
			.forEach((node) -> assertThat(node.at("/spec/deadLetterTopic").asString()).isEqualTo("task.deadletter"));
	}

	@Test
	void eachRoleSubscribesDeclarativelyToExactlyTheTopicsItsScopeAllows() {
		JsonNode kafka = resources().map(Manifests.Document::node)
			.filter((node) -> node.path("kind").asString().equals("Component"))
			.findFirst()
			.orElseThrow();
		Map<String, Set<String>> allowed = new TreeMap<>();
		for (JsonNode item : kafka.at("/spec/metadata")) {
			if (item.path("name").asString().equals("subscriptionScopes")) {
				for (String scope : item.path("value").asString().split(";")) {
					String[] roleAndTopics = scope.split("=", -1);
					Set<String> topics = new TreeSet<>(List.of(roleAndTopics[1].split(",")));
					topics.remove("");
					allowed.put(roleAndTopics[0], topics);
				}
			}
		}
		Map<String, Set<String>> subscribed = new TreeMap<>();
		allowed.keySet().forEach((role) -> subscribed.put(role, new TreeSet<>()));
		resources().filter((resource) -> resource.kind().equals("Subscription"))
			.map(Manifests.Document::node)
			.forEach((node) -> {
				String topic = node.at("/spec/topic").asString();
				node.path("scopes")
					.forEach((role) -> subscribed.computeIfAbsent(role.asString(), (r) -> new TreeSet<>()).add(topic));
				assertThat(node.at("/spec/routes/default").asString())
					.isEqualTo("/dapr/events/" + node.path("scopes").get(0).asString() + "/" + topic + "/bulk");
				assertThat(node.at("/spec/bulkSubscribe/enabled").asBoolean()).as("delivered in batches").isTrue();
			});
		assertThat(subscribed).isEqualTo(allowed);
		assertThat(allowed.get("analytics")).contains("task.replay");
	}

	@Test
	void anUnknownFieldIsRejected() {
		JsonNode broken = Manifests.documents("broken", """
				apiVersion: dapr.io/v1alpha1
				kind: Component
				metadata:
				  name: broken
				spec:
				  type: pubsub.kafka
				  version: v1
				  metdata:
				    - name: brokers
				      value: localhost:9092
				""").get(0).node();
		assertThat(DaprResources.validate(broken)).isNotEmpty()
			.anySatisfy((problem) -> assertThat(problem).contains("metdata"));
	}

	@Test
	void aWrongTypeIsRejected() {
		JsonNode broken = Manifests.documents("broken", """
				apiVersion: dapr.io/v1alpha1
				kind: Resiliency
				metadata:
				  name: broken
				spec:
				  policies:
				    retries:
				      r:
				        policy: constant
				        maxRetries: "many"
				""").get(0).node();
		assertThat(DaprResources.validate(broken)).isNotEmpty();
	}

	@Test
	void anUnknownKafkaMetadataNameIsRejected() {
		JsonNode component = Manifests.documents("typo", """
				apiVersion: dapr.io/v1alpha1
				kind: Component
				metadata:
				  name: typo
				spec:
				  type: pubsub.kafka
				  version: v1
				  metadata:
				    - name: brokers
				      value: localhost:9092
				    - name: initalOffset
				      value: oldest
				""").get(0).node();
		assertThat(DaprResources.unknownKafkaMetadata(component)).containsExactly("initalOffset");
	}

}
