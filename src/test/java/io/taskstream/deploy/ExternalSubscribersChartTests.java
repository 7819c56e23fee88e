package io.taskstream.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.taskstream.Commands;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.taskstream.deploy.ChartObjects.ROLES;
import static io.taskstream.deploy.ChartObjects.componentMetadata;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code externalSubscribers}: another team's app, with its own Dapr sidecar, attached by
 * a value and nothing else. It gets the component, its Subscriptions with the dead-letter
 * topic and the Resiliency, and no right to publish a task event, judged by the rules
 * Dapr's sidecar applies to the component's scopes.
 */
class ExternalSubscribersChartTests {

	static final List<String> TASK_TOPICS = List.of("task.created", "task.updated", "task.deleted", "task.completed");

	/** billing takes two topics on the default route, search one on its own prefix. */
	static final String[] TWO_SUBSCRIBERS = { "--set", "externalSubscribers[0].appId=billing", "--set",
			"externalSubscribers[0].topics={task.created,task.completed}", "--set",
			"externalSubscribers[1].appId=search", "--set", "externalSubscribers[1].topics={task.updated}", "--set",
			"externalSubscribers[1].routePrefix=/dapr/in" };

	@Test
	void twoExternalSubscribersGetTheComponentTheirSubscriptionsAndTheResiliency() {
		List<Manifests.Document> objects = Chart.render("values-eks.yaml", TWO_SUBSCRIBERS);
		assertThat(KubernetesSchemas.problems(objects)).isEmpty();
		JsonNode component = Chart.named(objects, "Component", "taskstream-pubsub");
		assertThat(strings(component.path("scopes"))).containsExactly("tasks", "analytics", "notifications", "audit",
				"billing", "search");
		Map<String, List<String>> subscriptionScopes = scopes(component, "subscriptionScopes");
		assertThat(subscriptionScopes.get("billing")).containsExactly("task.created", "task.completed");
		assertThat(subscriptionScopes.get("search")).containsExactly("task.updated");

		Map<String, String> routes = new TreeMap<>();
		Chart.ofKind(objects, "Subscription")
			.filter((s) -> Set.of("billing", "search").contains(s.path("scopes").get(0).asString()))
			.forEach((s) -> {
				assertThat(s.path("scopes")).hasSize(1);
				assertThat(s.at("/spec/pubsubname").asString()).isEqualTo("taskstream-pubsub");
				assertThat(s.at("/spec/deadLetterTopic").asString()).isEqualTo("task.deadletter");
				routes.put(s.at("/metadata/name").asString(), s.path("scopes").get(0).asString() + " "
						+ s.at("/spec/topic").asString() + " -> " + s.at("/spec/routes/default").asString());
			});
		assertThat(routes).containsExactly(
				Map.entry("billing-task-completed", "billing task.completed -> /events/task.completed"),
				Map.entry("billing-task-created", "billing task.created -> /events/task.created"),
				Map.entry("search-task-updated", "search task.updated -> /dapr/in/task.updated"));

		// the Resiliency's bounded retries (then the dead letter) apply to their
		// sidecars:
		// Dapr's default for pub/sub would retry a delivery forever
		JsonNode resiliency = Chart.named(objects, "Resiliency", "taskstream");
		assertThat(strings(resiliency.path("scopes"))).contains("billing", "search");
		assertThat(resiliency.at("/spec/targets/components/taskstream-pubsub/inbound/retry").asString())
			.isEqualTo("delivery");
	}

	@Test
	void anExternalSubscriberMayPublishOnlyItsDeadLettersNeverATaskEvent() {
		JsonNode component = Chart.named(Chart.render("values-eks.yaml", TWO_SUBSCRIBERS), "Component",
				"taskstream-pubsub");
		// publishingScopes restricts only the app-ids it names: every app-id of the
		// component must be named, or it could publish anything
		assertThat(scopes(component, "publishingScopes").keySet()).containsAll(strings(component.path("scopes")));
		for (String app : List.of("billing", "search")) {
			for (String topic : TASK_TOPICS) {
				assertThat(mayPublish(component, app, topic)).as(app + " publishes " + topic).isFalse();
			}
			assertThat(mayPublish(component, app, "task.replay")).isFalse();
			// Dapr publishes a dead letter with the subscriber's own publishing scope
			assertThat(mayPublish(component, app, "task.deadletter")).isTrue();
		}
		// and the roles keep what they had
		assertThat(mayPublish(component, "tasks", "task.created")).isTrue();
		assertThat(mayPublish(component, "analytics", "task.created")).isFalse();
		// the rule itself: an app-id the scopes do not name may publish everything
		assertThat(mayPublish(component, "unnamed", "task.created")).isTrue();
	}

	@Test
	void anAppNotListedGetsNothing() {
		List<Manifests.Document> objects = Chart.render("values-eks.yaml", "--set",
				"externalSubscribers[0].appId=billing", "--set", "externalSubscribers[0].topics={task.created}");
		String everything = objects.stream().map((o) -> o.node().toString()).reduce("", String::concat);
		assertThat(everything).contains("billing").doesNotContain("search");
		List<Manifests.Document> none = Chart.render("values-eks.yaml");
		JsonNode component = Chart.named(none, "Component", "taskstream-pubsub");
		assertThat(strings(component.path("scopes"))).containsExactlyElementsOf(ROLES);
		assertThat(scopes(component, "subscriptionScopes").keySet()).containsExactlyInAnyOrderElementsOf(ROLES);
		assertThat(strings(Chart.named(none, "Resiliency", "taskstream").path("scopes")))
			.containsExactlyElementsOf(ROLES);
		assertThat(Chart.ofKind(none, "Subscription")).hasSize(16);
	}

	@Test
	void theSchemaRejectsARoleNameABadAppIdAndATopicASubscriberCannotTake() {
		for (String appId : List.of("tasks", "audit")) {
			assertThat(attach(appId, "task.created").errors()).as(appId).contains("/externalSubscribers/0/appId");
		}
		for (String appId : List.of("Billing", "billing_v2", "-billing", "billing.team", "a".repeat(64))) {
			assertThat(attach(appId, "task.created").errors()).as(appId).contains("/externalSubscribers/0/appId");
		}
		for (String topic : List.of("task.deadletter", "task.replay", "task.archived")) {
			assertThat(attach("billing", topic).errors()).as(topic).contains("/externalSubscribers/0/topics/0");
		}
		assertThat(Chart.template("values-eks.yaml", "--set", "externalSubscribers[0].appId=billing").errors())
			.contains("/externalSubscribers/0", "topics");
		assertThat(Chart.template("values-eks.yaml", "--set", "externalSubscribers[0].appId=billing", "--set",
				"externalSubscribers[0].topics={task.created}", "--set", "externalSubscribers[0].routePrefix=events")
			.errors()).contains("/externalSubscribers/0/routePrefix");
		Commands.Result twice = Chart.template("values-eks.yaml", "--set", "externalSubscribers[0].appId=billing",
				"--set", "externalSubscribers[0].topics={task.created}", "--set",
				"externalSubscribers[1].appId=billing", "--set", "externalSubscribers[1].topics={task.updated}");
		assertThat(twice.exitCode()).isNotZero();
		assertThat(twice.errors()).contains("the app-id billing is taken");
		assertThat(attach("billing-2", "task.deleted").exitCode()).isZero();
	}

	private static Commands.Result attach(String appId, String topic) {
		return Chart.template("values-eks.yaml", "--set", "externalSubscribers[0].appId=" + appId, "--set",
				"externalSubscribers[0].topics={" + topic + "}");
	}

	/**
	 * Whether the app's sidecar may publish to the topic: the rules of dapr v1.18.3's
	 * pkg/scopes (GetScopedTopics) and pkg/runtime/pubsub (IsOperationAllowed). An app-id
	 * that publishingScopes does not name has no scoped topics and may publish to every
	 * allowed topic; one named with an empty list ("app=") may publish to none.
	 */
	static boolean mayPublish(JsonNode component, String appId, String topic) {
		List<String> allowed = new ArrayList<>();
		String allowedTopics = componentMetadata(List.of(new Manifests.Document("component", component)))
			.get("allowedTopics")
			.path("value")
			.asString();
		allowed.addAll(List.of(allowedTopics.split(",")));
		if (!allowed.contains(topic)) {
			return false;
		}
		List<String> scoped = scopes(component, "publishingScopes").get(appId);
		return scoped == null || scoped.contains(topic);
	}

	/** A scopes value ("app=t1,t2;app2=") as Dapr reads it; "app=" is one empty topic. */
	static Map<String, List<String>> scopes(JsonNode component, String name) {
		Map<String, List<String>> scopes = new TreeMap<>();
		String value = componentMetadata(List.of(new Manifests.Document("component", component))).get(name)
			.path("value")
			.asString();
		for (String app : value.replace(" ", "").split(";")) {
			String[] appAndTopics = app.split("=", -1);
			if (appAndTopics.length >= 2) {
				scopes.computeIfAbsent(appAndTopics[0], (a) -> new ArrayList<>())
					.addAll(List.of(appAndTopics[1].split(",", -1)));
			}
		}
		return scopes;
	}

	private static List<String> strings(JsonNode array) {
		List<String> strings = new ArrayList<>();
		array.forEach((item) -> strings.add(item.asString()));
		return strings;
	}

}
