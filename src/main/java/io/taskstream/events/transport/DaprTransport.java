package io.taskstream.events.transport;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.taskstream.events.CloudEvents;
import io.taskstream.events.EventsProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Publishes through the Dapr sidecar's pub/sub HTTP API: one message with {@code POST
 * /v1.0/publish/{pubsub}/{topic}}, several of a topic with the bulk API. Each message is
 * a full CloudEvent ({@code application/cloudevents+json}), so Dapr keeps our {@code id},
 * and its partition key is the task id, so a task's events stay in one partition. A
 * single publish carries the originating request's {@code traceparent}.
 *
 * <p>
 * Answers: 204 is published; a bulk 500 that names some of its {@code failedEntries}
 * fails those; a 5xx for the whole call (every entry) means the broker or the sidecar is
 * unavailable ({@link PublishResult.Unavailable}); 403 (topic not allowed for this app)
 * and 404 (no such pub/sub component) are configuration errors, logged as errors and
 * retried only at the slowest backoff. No answer at all means the sidecar is down: the
 * relay backs off as a whole.
 */
final class DaprTransport implements EventTransport {

	private static final Log log = LogFactory.getLog(DaprTransport.class);

	private static final JsonMapper json = JsonMapper.builder().build();

	/** A W3C trace context: nothing in it needs escaping in JSON. */
	private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

	private final HttpClient http;

	private final EventsProperties.Dapr settings;

	DaprTransport(EventsProperties.Dapr settings) {
		this.settings = settings;
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(settings.timeout())
			.build();
	}

	@Override
	public Map<Long, PublishResult> publish(List<Message> batch) {
		Map<String, List<Message>> byTopic = new LinkedHashMap<>();
		for (Message message : batch) {
			byTopic.computeIfAbsent(message.topic(), (topic) -> new ArrayList<>()).add(message);
		}
		Map<Long, PublishResult> results = new HashMap<>();
		for (Map.Entry<String, List<Message>> topic : byTopic.entrySet()) {
			List<Message> messages = topic.getValue();
			if (messages.size() == 1) {
				results.put(messages.get(0).key(), publishOne(messages.get(0)));
			}
			else {
				results.putAll(publishBulk(topic.getKey(), messages));
			}
		}
		return results;
	}

	private PublishResult publishOne(Message message) {
		URI uri = this.settings.httpEndpoint()
			.resolve("/v1.0/publish/" + encode(this.settings.pubsubName()) + "/" + encode(message.topic())
					+ "?metadata.partitionKey=" + message.partitionKey());
		HttpRequest.Builder request = request(uri).header("Content-Type", CloudEvents.CONTENT_TYPE)
			.POST(HttpRequest.BodyPublishers.ofString(message.cloudEvent()));
		if (message.traceparent() != null) {
			request.header("traceparent", message.traceparent());
		}
		HttpResponse<String> response = send(request);
		if (response.statusCode() / 100 == 2) {
			return PublishResult.PUBLISHED;
		}
		return failure(message.topic(), response);
	}

	private Map<Long, PublishResult> publishBulk(String topic, List<Message> messages) {
		URI uri = this.settings.httpEndpoint()
			.resolve("/v1.0-alpha1/publish/bulk/" + encode(this.settings.pubsubName()) + "/" + encode(topic));
		HttpResponse<String> response = send(request(uri).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(bulkBody(messages))));
		Map<Long, PublishResult> results = new HashMap<>();
		messages.forEach((message) -> results.put(message.key(), PublishResult.PUBLISHED));
		if (response.statusCode() / 100 == 2) {
			return results;
		}
		PublishResult failure = failure(topic, response);
		JsonNode failedEntries = failedEntries(response.body());
		if (failedEntries == null) {
			messages.forEach((message) -> results.put(message.key(), failure));
			return results;
		}
		if (failure instanceof PublishResult.Unavailable && failedEntries.size() >= messages.size()) {
			// every entry failed: the broker, not the entries
			messages.forEach((message) -> results.put(message.key(), failure));
			return results;
		}
		for (JsonNode entry : failedEntries) {
			results.put(Long.valueOf(entry.path("entryId").asString()),
					new PublishResult.Failed("bulk entry failed: " + entry.path("error").asString(failure.reason())));
		}
		return results;
	}

	/**
	 * The bulk request's entries, each event written as it is stored. (Reading every
	 * event into a tree and writing it out again was four fifths of the relay's CPU in a
	 * profile of a drain.)
	 */
	static String bulkBody(List<Message> messages) {
		StringWriter body = new StringWriter(messages.size() * 1_200);
		try (JsonGenerator entries = json.createGenerator(body)) {
			entries.writeStartArray();
			for (Message message : messages) {
				entries.writeStartObject();
				entries.writeStringProperty("entryId", Long.toString(message.key()));
				entries.writeName("event");
				entries.writeRawValue(withTrace(message));
				entries.writeStringProperty("contentType", CloudEvents.CONTENT_TYPE);
				entries.writeObjectPropertyStart("metadata");
				entries.writeStringProperty("partitionKey", Long.toString(message.partitionKey()));
				entries.writeEndObject();
				entries.writeEndObject();
			}
			entries.writeEndArray();
		}
		return body.toString();
	}

	/**
	 * The CloudEvent with its request's trace context as {@code traceid} and
	 * {@code traceparent}: one bulk call carries many requests' events, and each keeps
	 * its own trace. An outbox row's event already has its {@code traceparent}
	 * ({@link CloudEvents#write}), so {@code traceid} is put in front of it; any other
	 * event is rewritten.
	 */
	static String withTrace(Message message) {
		String event = message.cloudEvent();
		String traceparent = message.traceparent();
		if (traceparent == null) {
			return event;
		}
		if (TRACEPARENT.matcher(traceparent).matches() && event.startsWith("{")
				&& event.contains("\"traceparent\":\"" + traceparent + "\"") && !event.contains("\"traceid\"")) {
			return "{\"traceid\":\"" + traceparent + "\"," + event.substring(1);
		}
		ObjectNode tree = (ObjectNode) json.readTree(event);
		tree.put("traceid", traceparent);
		tree.put("traceparent", traceparent);
		return json.writeValueAsString(tree);
	}

	private HttpRequest.Builder request(URI uri) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(this.settings.timeout());
		if (this.settings.apiToken() != null && !this.settings.apiToken().isBlank()) {
			request.header("dapr-api-token", this.settings.apiToken());
		}
		return request;
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new TransportUnavailableException(
					"the Dapr sidecar at " + this.settings.httpEndpoint() + " does not answer: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new TransportUnavailableException("interrupted while publishing", ex);
		}
	}

	private PublishResult failure(String topic, HttpResponse<String> response) {
		int status = response.statusCode();
		String body = response.body();
		if (status == 403 || status == 404) {
			String reason = "configuration error: the sidecar answered " + status + " for pub/sub '"
					+ this.settings.pubsubName() + "' topic '" + topic + "' (" + body + "). "
					+ ((status == 403) ? "Is this app in the component's publishingScopes / scopes?"
							: "Is the pub/sub component loaded (name, --resources-path)?");
			log.error(reason);
			return new PublishResult.Refused(reason);
		}
		if (status >= 500) {
			// Dapr's answer when the broker is away or the publish circuit breaker is
			// open
			return new PublishResult.Unavailable("the sidecar answered " + status + ": " + body);
		}
		return new PublishResult.Failed("the sidecar answered " + status + ": " + body);
	}

	private static JsonNode failedEntries(String body) {
		try {
			JsonNode node = json.readTree(body).get("failedEntries");
			return (node != null && node.isArray() && !node.isEmpty()) ? node : null;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private static String encode(String segment) {
		return URLEncoder.encode(segment, StandardCharsets.UTF_8);
	}

}
