package io.taskstream.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.taskstream.Commands;
import io.taskstream.deploy.Manifests;
import io.taskstream.events.CloudEvents;
import io.taskstream.events.EventType;
import io.taskstream.events.Subscriber;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AsyncAPI document ({@code src/main/resources/schemas/asyncapi.yaml}, served at
 * {@code /schemas/asyncapi.yaml}) is valid by the official AsyncAPI parser, and says what
 * the code does: its channels are the topics of {@link EventType}, the roles'
 * {@link Subscriber} declarations and the Dapr resources in {@code components/}; each
 * task channel carries its event type's CloudEvent type, and the payload's data is the
 * envelope's JSON Schema.
 */
class AsyncApiContractTests {

	static final String DOCUMENT = "src/main/resources/schemas/asyncapi.yaml";

	static final String VALIDATOR = "src/test/resources/contracts/validate-asyncapi.mjs";

	private static JsonNode parsed;

	@BeforeAll
	static void parse() {
		Commands.Result result = ContractTools.node(VALIDATOR, DOCUMENT);
		assertThat(result.exitCode()).as("@asyncapi/parser on %s:\n%s", DOCUMENT, result).isZero();
		parsed = JsonMapper.builder().build().readTree(result.output());
	}

	@Test
	void theDocumentIsValidAsyncApi3() {
		assertThat(parsed.path("version").asString()).isEqualTo("3.0.0");
	}

	@Test
	void theParserRejectsADocumentThatBreaksTheSpec(@TempDir Path dir) throws IOException {
		String broken = Files.readString(Path.of(DOCUMENT))
			.replace("    address: task.created\n", "    address: task.created\n    partitions: 4\n");
		Path file = dir.resolve("asyncapi.yaml");
		Files.writeString(file, broken);
		Files.copy(Path.of("src/main/resources/schemas/task-event.v1.schema.json"),
				dir.resolve("task-event.v1.schema.json"));

		Commands.Result result = ContractTools.node(VALIDATOR, file.toString());

		assertThat(result.exitCode()).as(result.toString()).isNotZero();
		assertThat(result.errors()).contains("channels.taskCreated");
	}

	@Test
	void itsChannelsAreTheTopicsOfTheCode() {
		Set<String> topics = new TreeSet<>(EventType.topics());
		topics.add(EventType.DEAD_LETTER_TOPIC);
		topics.add(EventType.REPLAY_TOPIC);
		assertThat(channels().keySet()).isEqualTo(topics);
	}

	@Test
	void eachTaskChannelCarriesItsCloudEventTypeWithTheEnvelopeSchema() {
		Map<String, JsonNode> channels = channels();
		for (EventType type : EventType.values()) {
			JsonNode messages = channels.get(type.topic()).path("messages");
			assertThat(messages).as(type.topic()).hasSize(1);
			JsonNode message = messages.get(0);
			assertThat(message.path("type").asString()).as(type.topic()).isEqualTo(type.cloudEventType());
			assertThat(message.path("title").asString()).as(type.topic()).isEqualTo(type.cloudEventType());
			assertThat(message.path("dataschema").asString()).as(type.topic()).isEqualTo(CloudEvents.DATA_SCHEMA);
			assertThat(message.path("dataId").asString()).as(type.topic()).isEqualTo(CloudEvents.DATA_SCHEMA);
		}
	}

	@Test
	void replaysCarryTheExtensionTheRolesReadAndTaskEventsAreKeyedByTaskId() throws IOException {
		JsonNode document = Manifests.yaml.readTree(Path.of(DOCUMENT).toFile());
		JsonNode replayed = document.path("components").path("messages").path("replayedTask");
		assertThat(replayed.path("payload").path("allOf").get(1).path("required").toString())
			.contains("\"" + EventType.REPLAY_TARGET + "\"");
		JsonNode key = document.path("components").path("messageBindings").path("taskKey").path("kafka").path("key");
		assertThat(key.path("description").asString()).contains("task id");
		for (EventType type : EventType.values()) {
			String name = "task" + Character.toUpperCase(type.value().charAt(0)) + type.value().substring(1);
			JsonNode message = document.path("components").path("messages").path(name);
			assertThat(message.path("bindings").path("$ref").asString()).as(name)
				.isEqualTo("#/components/messageBindings/taskKey");
		}
	}

	@Test
	void everyTopicASubscriberTakesIsAChannelAndDeadLettersGoToOne() {
		// what a role's one Subscriber declaration turns into (Subscriber#topics): a
		// projection and the event store with its dead letters
		Subscriber projection = Subscriber.projection("analytics", (event) -> true);
		Subscriber store = Subscriber.eventStore("audit", (event) -> true).withDeadLetters((letter) -> {
		});
		Set<String> channels = channels().keySet();
		Set<String> taken = new TreeSet<>();
		for (Subscriber subscriber : List.of(projection, store)) {
			assertThat(channels).as(subscriber.role() + "'s topics").containsAll(subscriber.topics());
			taken.addAll(subscriber.topics());
		}
		assertThat(channels).contains(EventType.DEAD_LETTER_TOPIC);
		assertThat(taken).containsAll(channels);
	}

	@Test
	void theDaprResourcesNameTheChannelsAndNothingElse() {
		Set<String> channels = channels().keySet();
		List<Manifests.Document> resources = Manifests.documents(Path.of("components"));
		JsonNode pubsub = resources.stream()
			.filter((resource) -> resource.kind().equals("Component"))
			.map(Manifests.Document::node)
			.filter((node) -> node.path("spec").path("type").asString().startsWith("pubsub."))
			.findFirst()
			.orElseThrow();
		Map<String, String> metadata = new TreeMap<>();
		pubsub.path("spec")
			.path("metadata")
			.forEach((item) -> metadata.put(item.path("name").asString(), item.path("value").asString("")));
		assertThat(new TreeSet<>(List.of(metadata.get("allowedTopics").split(",")))).as("allowedTopics")
			.isEqualTo(channels);
		for (String scopes : List.of("publishingScopes", "subscriptionScopes")) {
			for (String scope : metadata.get(scopes).split(";")) {
				String topics = scope.substring(scope.indexOf('=') + 1);
				if (!topics.isEmpty()) {
					assertThat(channels).as(scopes + " " + scope).containsAll(List.of(topics.split(",")));
				}
			}
		}
		List<JsonNode> subscriptions = resources.stream()
			.filter((resource) -> resource.kind().equals("Subscription"))
			.map(Manifests.Document::node)
			.toList();
		assertThat(subscriptions).isNotEmpty();
		for (JsonNode subscription : subscriptions) {
			assertThat(channels).as("Subscription topic").contains(subscription.path("spec").path("topic").asString());
			String deadLetter = subscription.path("spec").path("deadLetterTopic").asString("");
			if (!deadLetter.isEmpty()) {
				assertThat(deadLetter).isEqualTo(EventType.DEAD_LETTER_TOPIC);
			}
		}
	}

	private static Map<String, JsonNode> channels() {
		Map<String, JsonNode> channels = new TreeMap<>();
		parsed.path("channels").forEach((channel) -> channels.put(channel.path("address").asString(), channel));
		return channels;
	}

}
