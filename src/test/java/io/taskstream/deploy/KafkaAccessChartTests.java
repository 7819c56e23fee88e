package io.taskstream.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static io.taskstream.deploy.ChartObjects.ROLES;
import static io.taskstream.deploy.ChartObjects.componentMetadata;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may do what on Kafka: the table of docs/kafka-security.md is the model, and the
 * component's scopes, the Strimzi KafkaUsers' ACLs and the MSK IAM policies the chart
 * renders each grant exactly that, nothing more.
 */
class KafkaAccessChartTests {

	static final String CLUSTER_ARN = "arn:aws:kafka:eu-west-1:123456789012:cluster/taskstream/6357e0b2-0e6a-4b86-a0b4-70df934c2e31-2";

	/**
	 * GKE's Strimzi with per-app users, the MSK policies too, and one external
	 * subscriber.
	 */
	static final String[] EVERYTHING = { "--set", "kafka.msk.iamPolicies.enabled=true", "--set",
			"kafka.msk.clusterArn=" + CLUSTER_ARN, "--set", "externalSubscribers[0].appId=billing", "--set",
			"externalSubscribers[0].topics={task.created,task.completed}" };

	/** What an app-id may do: the topics it writes and reads, and its consumer group. */
	record Access(Set<String> writes, Set<String> reads, String group) {
	}

	@Test
	void theStrimziUsersGrantExactlyTheModel() {
		List<Manifests.Document> objects = Chart.render("values-gke.yaml", EVERYTHING);
		assertThat(KubernetesSchemas.problems(objects)).isEmpty();
		Map<String, Access> granted = new TreeMap<>();
		Chart.ofKind(objects, "KafkaUser").forEach((user) -> {
			assertThat(user.path("apiVersion").asString()).isEqualTo("kafka.strimzi.io/v1beta2");
			assertThat(user.at("/metadata/labels/strimzi.io~1cluster").asString()).isEqualTo("kafka");
			assertThat(user.at("/spec/authentication/type").asString()).isEqualTo("scram-sha-512");
			assertThat(user.at("/spec/authorization/type").asString()).isEqualTo("simple");
			assertThat(user.path("spec").propertyNames()).containsExactlyInAnyOrder("authentication", "authorization");
			Set<String> writes = new TreeSet<>();
			Set<String> reads = new TreeSet<>();
			List<String> groups = new ArrayList<>();
			for (JsonNode acl : user.at("/spec/authorization/acls")) {
				assertThat(acl.propertyNames()).containsExactlyInAnyOrder("resource", "operations", "host");
				assertThat(acl.at("/resource/patternType").asString()).isEqualTo("literal");
				assertThat(acl.path("host").asString()).isEqualTo("*");
				String name = acl.at("/resource/name").asString();
				Set<String> operations = new TreeSet<>();
				acl.path("operations").forEach((operation) -> operations.add(operation.asString()));
				switch (acl.at("/resource/type").asString()) {
					case "topic" -> {
						assertThat(operations).contains("Describe").isSubsetOf("Read", "Write", "Describe");
						if (operations.contains("Write")) {
							writes.add(name);
						}
						if (operations.contains("Read")) {
							reads.add(name);
						}
					}
					case "group" -> {
						assertThat(operations).containsExactlyInAnyOrder("Read", "Describe");
						groups.add(name);
					}
					default -> throw new AssertionError("an ACL beyond topics and groups: " + acl);
				}
			}
			assertThat(groups).hasSizeLessThanOrEqualTo(1);
			String name = user.at("/metadata/name").asString();
			assertThat(name).startsWith("taskstream-");
			granted.put(name.substring("taskstream-".length()),
					new Access(writes, reads, groups.isEmpty() ? null : groups.get(0)));
		});
		assertThat(granted).isEqualTo(expected());
	}

	@Test
	void theMskPoliciesGrantExactlyTheModel() throws Exception {
		JsonNode policies = Chart.named(Chart.render("values-gke.yaml", EVERYTHING), "ConfigMap",
				"taskstream-msk-iam-policies");
		String topics = CLUSTER_ARN.replace(":cluster/", ":topic/") + "/";
		String groups = CLUSTER_ARN.replace(":cluster/", ":group/") + "/";
		Map<String, Access> granted = new TreeMap<>();
		for (String key : policies.path("data").propertyNames()) {
			JsonNode policy = JsonMapper.shared().readTree(policies.path("data").path(key).asString());
			assertThat(policy.path("Version").asString()).isEqualTo("2012-10-17");
			Set<String> writes = new TreeSet<>();
			Set<String> reads = new TreeSet<>();
			List<String> groupNames = new ArrayList<>();
			boolean connects = false;
			for (JsonNode statement : policy.path("Statement")) {
				assertThat(statement.path("Effect").asString()).isEqualTo("Allow");
				Set<String> actions = new TreeSet<>();
				statement.path("Action").forEach((action) -> actions.add(action.asString()));
				List<String> resources = new ArrayList<>();
				statement.path("Resource").forEach((resource) -> resources.add(resource.asString()));
				assertThat(resources).isNotEmpty().allSatisfy((arn) -> assertThat(arn).doesNotContain("*"));
				if (actions.equals(Set.of("kafka-cluster:Connect"))) {
					assertThat(resources).containsExactly(CLUSTER_ARN);
					connects = true;
				}
				else if (actions.equals(Set.of("kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"))) {
					resources.forEach((arn) -> writes.add(after(arn, topics)));
				}
				else if (actions.equals(Set.of("kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"))) {
					resources.forEach((arn) -> reads.add(after(arn, topics)));
				}
				else if (actions.equals(Set.of("kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"))) {
					resources.forEach((arn) -> groupNames.add(after(arn, groups)));
				}
				else {
					throw new AssertionError(key + ": actions beyond the model: " + actions);
				}
			}
			assertThat(connects).as(key).isTrue();
			assertThat(groupNames).hasSizeLessThanOrEqualTo(1);
			granted.put(key.replace(".json", ""),
					new Access(writes, reads, groupNames.isEmpty() ? null : groupNames.get(0)));
		}
		assertThat(granted).isEqualTo(expected());
	}

	@Test
	void theComponentsScopesAreTheModel() {
		List<Manifests.Document> objects = Chart.render("values-gke.yaml", EVERYTHING);
		JsonNode component = Chart.named(objects, "Component", "taskstream-pubsub");
		Map<String, List<String>> publishing = ExternalSubscribersChartTests.scopes(component, "publishingScopes");
		Map<String, List<String>> subscribing = ExternalSubscribersChartTests.scopes(component, "subscriptionScopes");
		Map<String, Access> scoped = new TreeMap<>();
		publishing.forEach((app, topics) -> scoped.put(app, new Access(nonEmpty(topics), nonEmpty(subscribing.get(app)),
				nonEmpty(subscribing.get(app)).isEmpty() ? null : app)));
		assertThat(scoped).isEqualTo(expected());
		assertThat(componentMetadata(objects).get("consumerGroup").path("value").asString()).isEqualTo("{appID}");
	}

	@Test
	void eachRolesSidecarUsesItsOwnUserAndOnlyItsOwnPassword() {
		List<Manifests.Document> objects = Chart.render("values-gke.yaml");
		Map<String, JsonNode> metadata = componentMetadata(objects);
		assertThat(metadata.get("saslUsername").path("value").asString()).isEqualTo("taskstream-{appID}");
		assertThat(metadata.get("saslPassword").path("envRef").asString()).isEqualTo("KAFKA_SASL_PASSWORD");
		assertThat(metadata.get("saslPassword").has("value")).isFalse();
		Set<String> users = new TreeSet<>();
		Chart.ofKind(objects, "KafkaUser").forEach((user) -> users.add(user.at("/metadata/name").asString()));
		for (String role : ROLES) {
			// the Secret Strimzi's User Operator writes for the role's KafkaUser
			assertThat(Chart.named(objects, "Deployment", "taskstream-" + role)
				.at("/spec/template/metadata/annotations/dapr.io~1env-from-secret")
				.asString()).isEqualTo("KAFKA_SASL_PASSWORD=taskstream-" + role + ":password");
			assertThat(users).contains("taskstream-" + role);
		}
		// a disabled role gets no user, no policy
		List<Manifests.Document> withoutAudit = Chart.render("values-gke.yaml", "--set", "roles.audit.enabled=false",
				"--set", "kafka.msk.iamPolicies.enabled=true", "--set", "kafka.msk.clusterArn=" + CLUSTER_ARN);
		assertThat(withoutAudit).extracting(Manifests.Document::name).doesNotContain("taskstream-audit");
		assertThat(Chart.named(withoutAudit, "ConfigMap", "taskstream-msk-iam-policies").path("data").propertyNames())
			.containsExactlyInAnyOrder("tasks.json", "analytics.json", "notifications.json");
	}

	@Test
	void materialThatCannotWorkFailsWithAClearMessage() {
		assertThat(Chart.template("values-gke.yaml", "--set", "kafka.strimzi.cluster=").errors())
			.contains("kafka.strimzi.cluster is required");
		assertThat(Chart.templateOn(Chart.CLUSTER_APIS.subList(0, 7), "values-gke.yaml").errors())
			.contains("needs Strimzi's CRDs (kafka.strimzi.io/v1beta2/KafkaUser)");
		assertThat(Chart.template("values-eks.yaml", "--set", "kafka.msk.clusterArn=").errors())
			.contains("kafka.msk.clusterArn is required");
		assertThat(
				Chart.template("values-eks.yaml", "--set", "kafka.msk.clusterArn=arn:aws:kafka:eu-west-1:1:topic/x/y")
					.errors())
			.contains("/kafka/msk/clusterArn");
		assertThat(Chart.template("values-eks.yaml", "--set", "kafka.auth.perAppUsers=true").errors())
			.contains("kafka.auth.perAppUsers is for kafka.auth.type password");
	}

	/**
	 * The model for the four roles and the external subscriber billing, from the docs.
	 */
	private static Map<String, Access> expected() {
		Map<String, Access> model = new TreeMap<>(modelOfTheDocs());
		Access external = model.remove("<appId>");
		assertThat(external.reads()).as("an external subscriber reads its topics").isEmpty();
		model.put("billing", new Access(external.writes(), Set.of("task.created", "task.completed"), "billing"));
		return model;
	}

	/**
	 * The table of docs/kafka-security.md, "The access model": app-id, writes, reads,
	 * consumer group, each a list of `code` spans ("—" for none).
	 */
	static Map<String, Access> modelOfTheDocs() {
		String docs;
		try {
			docs = Files.readString(Path.of("docs/kafka-security.md"));
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
		String section = docs.substring(docs.indexOf("## The access model"), docs.indexOf("### Where the model"));
		Map<String, Access> model = new TreeMap<>();
		for (String line : section.split("\n")) {
			if (!line.startsWith("| ") || line.startsWith("| App-id") || line.startsWith("|---")) {
				continue;
			}
			String[] cells = line.split("\\|");
			List<String> app = codes(cells[1]);
			if (app.isEmpty()) {
				assertThat(cells[1]).contains("anyone else");
				assertThat(codes(cells[2]) + " " + codes(cells[3]) + " " + codes(cells[4])).isEqualTo("[] [] []");
				continue;
			}
			// an external subscriber reads "its `topics`", not topics of the model
			Set<String> reads = new TreeSet<>(codes(cells[3]).stream().filter((t) -> t.startsWith("task.")).toList());
			if (cells[3].contains("its `topics`")) {
				reads.clear();
			}
			List<String> group = codes(cells[4]);
			model.put(app.get(0), new Access(new TreeSet<>(codes(cells[2])), reads,
					group.isEmpty() ? null : group.get(0).replace("<appId>", "billing")));
		}
		assertThat(model).containsKeys("tasks", "analytics", "notifications", "audit", "<appId>");
		return model;
	}

	private static List<String> codes(String cell) {
		List<String> codes = new ArrayList<>();
		Matcher code = Pattern.compile("`([^`]+)`").matcher(cell);
		while (code.find()) {
			codes.add(code.group(1));
		}
		return codes;
	}

	private static Set<String> nonEmpty(List<String> topics) {
		Set<String> set = new TreeSet<>(topics);
		set.remove("");
		return set;
	}

	private static String after(String arn, String prefix) {
		assertThat(arn).startsWith(prefix);
		return arn.substring(prefix.length());
	}

}
