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
 * topic, route, dead-letter topic, pub/sub and bulk delivery settings. The chart's are
 * checked against that file by {@code DaprResourcesTests} and {@code HelmChartTests}, so
 * the Java side is the one source.
 */
@IntegrationTest
class DaprSubscriptionsMatchTheResourcesIntegrationTests {

	@Autowired
	Subscriptions subscriptions;

	@Autowired
	EventsProperties properties;

	@Test
	void everyDeclaredSubscriptionIsInTheLocalResourcesAndNothingElse() {
		List<Subscription> declared = DaprSubscriptions
			.entries(this.subscriptions, this.properties.dapr().pubsubName(), this.properties.dapr().bulk())
			.stream()
			.map(DaprSubscriptionsMatchTheResourcesIntegrationTests::fromEntry)
			.toList();
		List<Subscription> resources = Manifests.documents(Path.of("components", "subscriptions.yaml"))
			.stream()
			.filter((document) -> document.kind().equals("Subscription"))
			.map((document) -> fromResource(document.node()))
			.toList();

		assertThat(declared).hasSize(16).doesNotHaveDuplicates();
		assertThat(declared).as("delivered in batches by default (docs/events.md)")
			.allSatisfy((subscription) -> assertThat(subscription.bulk()).isEqualTo(new Bulk(true, 100, 5)));
		assertThat(resources).containsExactlyInAnyOrderElementsOf(declared);
	}

	private static Subscription fromEntry(Map<String, Object> entry) {
		String route = (String) entry.get("route");
		String role = route.substring(DaprSubscriptions.ROUTE_PREFIX.length()).split("/")[0];
		@SuppressWarnings("unchecked")
		Map<String, Object> bulk = (Map<String, Object>) entry.get("bulkSubscribe");
		return new Subscription(role, (String) entry.get("pubsubname"), (String) entry.get("topic"), route,
				(String) entry.get("deadLetterTopic"),
				(bulk != null)
						? new Bulk((Boolean) bulk.get("enabled"), ((Number) bulk.get("maxMessagesCount")).intValue(),
								((Number) bulk.get("maxAwaitDurationMs")).intValue())
						: null);
	}

	private static Subscription fromResource(JsonNode resource) {
		JsonNode spec = resource.path("spec");
		assertThat(resource.path("scopes")).as("one role per subscription").hasSize(1);
		return new Subscription(resource.path("scopes").get(0).asString(), spec.path("pubsubname").asString(),
				spec.path("topic").asString(), spec.path("routes").path("default").asString(),
				spec.path("deadLetterTopic").isMissingNode() ? null : spec.path("deadLetterTopic").asString(),
				spec.path("bulkSubscribe").isMissingNode() ? null
						: new Bulk(spec.at("/bulkSubscribe/enabled").asBoolean(),
								spec.at("/bulkSubscribe/maxMessagesCount").asInt(),
								spec.at("/bulkSubscribe/maxAwaitDurationMs").asInt()));
	}

	/** One role's subscription to one topic, as both sides state it. */
	record Subscription(String role, String pubsub, String topic, String route, String deadLetterTopic, Bulk bulk) {
	}

	/** A subscription's bulk delivery settings, as both sides state them. */
	record Bulk(boolean enabled, int maxMessagesCount, int maxAwaitDurationMs) {
	}

}
