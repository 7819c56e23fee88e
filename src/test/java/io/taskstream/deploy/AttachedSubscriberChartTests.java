package io.taskstream.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.taskstream.tools.stack.Attachment;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static io.taskstream.deploy.ExternalSubscribersChartTests.TASK_TOPICS;
import static io.taskstream.deploy.ExternalSubscribersChartTests.mayPublish;
import static io.taskstream.deploy.ExternalSubscribersChartTests.scopes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code scripts/stack attach} gives an app on the local stack exactly what the chart's
 * {@code externalSubscribers} gives it on Kubernetes: the same Subscriptions, the same
 * publishing and subscription scopes, the component and the Resiliency; and its resources
 * are valid Dapr resources.
 */
class AttachedSubscriberChartTests {

	private static final Attachment BILLING = new Attachment("billing", 8000, List.of("task.created", "task.completed"),
			"/dapr/in");

	@Test
	void attachWritesTheSubscriptionsAndScopesTheChartRendersForAnExternalSubscriber() throws IOException {
		List<Manifests.Document> chart = Chart.render("values-eks.yaml", "--set",
				"externalSubscribers[0].appId=billing", "--set",
				"externalSubscribers[0].topics={task.created,task.completed}", "--set",
				"externalSubscribers[0].routePrefix=/dapr/in");
		Map<String, String> files = BILLING.resources(Files.readString(Path.of("components/pubsub-kafka.yaml")),
				Files.readString(Path.of("dapr-config/resiliency.yaml")));
		List<Manifests.Document> attached = new ArrayList<>();
		files.forEach((name, text) -> attached.addAll(Manifests.documents(name, text)));

		assertThat(subscriptionsOf(attached, "billing")).isEqualTo(subscriptionsOf(chart, "billing")).hasSize(2);

		JsonNode chartComponent = Chart.named(chart, "Component", "taskstream-pubsub");
		JsonNode component = Chart.named(attached, "Component", "taskstream-pubsub");
		for (String scope : List.of("publishingScopes", "subscriptionScopes")) {
			assertThat(scopes(component, scope)).as(scope).isEqualTo(scopes(chartComponent, scope));
		}
		assertThat(component.path("scopes")).isEqualTo(chartComponent.path("scopes"));
		assertThat(Chart.named(attached, "Resiliency", "taskstream").path("scopes"))
			.isEqualTo(Chart.named(chart, "Resiliency", "taskstream").path("scopes"));
		assertThat(Chart.named(attached, "Resiliency", "taskstream").at("/spec/targets/components/taskstream-pubsub"))
			.isEqualTo(Chart.named(chart, "Resiliency", "taskstream").at("/spec/targets/components/taskstream-pubsub"));
	}

	@Test
	void theAttachedAppMayPublishItsDeadLettersAndNoTaskEvent() throws IOException {
		JsonNode component = Manifests
			.documents("component",
					BILLING
						.resources(Files.readString(Path.of("components/pubsub-kafka.yaml")),
								Files.readString(Path.of("dapr-config/resiliency.yaml")))
						.get("pubsub-kafka.yaml"))
			.get(0)
			.node();
		for (String topic : TASK_TOPICS) {
			assertThat(mayPublish(component, "billing", topic)).as(topic).isFalse();
		}
		assertThat(mayPublish(component, "billing", "task.replay")).isFalse();
		assertThat(mayPublish(component, "billing", "task.deadletter")).isTrue();
		assertThat(mayPublish(component, "tasks", "task.created")).isTrue();
	}

	@Test
	void theAttachedAppsResourcesAreValidByDaprsCrds() throws IOException {
		Map<String, String> files = BILLING.resources(Files.readString(Path.of("components/pubsub-kafka.yaml")),
				Files.readString(Path.of("dapr-config/resiliency.yaml")));
		files.forEach((name, text) -> Manifests.documents(name, text)
			.forEach((document) -> assertThat(DaprResources.validate(document.node())).as(document.toString())
				.isEmpty()));
	}

	/** The app's Subscriptions by name: spec and scopes (the chart adds labels). */
	private static Map<String, JsonNode> subscriptionsOf(List<Manifests.Document> documents, String appId) {
		Map<String, JsonNode> subscriptions = new java.util.TreeMap<>();
		Chart.ofKind(documents, "Subscription")
			.filter((s) -> s.path("scopes").toString().contains("\"" + appId + "\""))
			.forEach((s) -> {
				ObjectNode comparable = Manifests.yaml.createObjectNode();
				comparable.set("spec", s.path("spec"));
				comparable.set("scopes", s.path("scopes"));
				subscriptions.put(s.at("/metadata/name").asString(), comparable);
			});
		return subscriptions;
	}

}
