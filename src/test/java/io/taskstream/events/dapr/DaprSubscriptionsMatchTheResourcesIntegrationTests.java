package io.taskstream.events.dapr;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.taskstream.IntegrationTest;
import io.taskstream.deploy.Manifests;
import io.taskstream.events.EventsProperties;
import io.taskstream.events.inbox.Subscriptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The subscriptions the roles declare in Java (what {@code /dapr/subscribe} serves) are
 * exactly the declarative ones in {@code components/subscriptions.yaml}: same role,
 * topic, route, dead-letter topic and pub/sub. The chart's are checked against that file
 * by {@code DaprResourcesTests} and {@code HelmChartTests}, so the Java side is the one
 * source.
 */
@IntegrationTest
class DaprSubscriptionsMatchTheResourcesIntegrationTests {

	@Autowired
	Subscriptions subscriptions;

	@Autowired
	EventsProperties properties;

	@Test
	void everyDeclaredSubscriptionIsInTheLocalResourcesAndNothingElse() {
		List<Subscription> declared = DaprSubscriptions.entries(this.subscriptions, this.properties.dapr().pubsubName())
			.stream()
			.map(DaprSubscriptionsMatchTheResourcesIntegrationTests::fromEntry)
			.toList();
		List<Subscription> resources = Manifests.documents(Path.of("components", "subscriptions.yaml"))
			.stream()
			.filter((document) -> document.kind().equals("Subscription"))
			.map((document) -> fromResource(document.node()))
			.toList();

		assertThat(declared).hasSize(16).doesNotHaveDuplicates();
		assertThat(resources).containsExactlyInAnyOrderElementsOf(declared);
	}

	private static Subscription fromEntry(Map<String, Object> entry) {
		String route = (String) entry.get("route");
		String role = route.substring(DaprSubscriptions.ROUTE_PREFIX.length(), route.lastIndexOf('/'));
		return new Subscription(role, (String) entry.get("pubsubname"), (String) entry.get("topic"), route,
				(String) entry.get("deadLetterTopic"));
	}

	private static Subscription fromResource(JsonNode resource) {
		JsonNode spec = resource.path("spec");
		assertThat(resource.path("scopes")).as("one role per subscription").hasSize(1);
		return new Subscription(resource.path("scopes").get(0).asString(), spec.path("pubsubname").asString(),
				spec.path("topic").asString(), spec.path("routes").path("default").asString(),
				spec.path("deadLetterTopic").isMissingNode() ? null : spec.path("deadLetterTopic").asString());
	}

	/** One role's subscription to one topic, as both sides state it. */
	record Subscription(String role, String pubsub, String topic, String route, String deadLetterTopic) {
	}

}
