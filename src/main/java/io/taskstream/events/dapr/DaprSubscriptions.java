package io.taskstream.events.dapr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.taskstream.events.EventsProperties;
import io.taskstream.events.Outcome;
import io.taskstream.events.inbox.Subscriptions;
import io.taskstream.platform.Problems;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.ObjectProvider;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Dapr subscriptions of the roles this process runs, all made from their
 * {@link io.taskstream.events.Subscriber} declarations: the sidecar learns them from
 * {@code GET /dapr/subscribe} (one entry per role and topic, route
 * {@code /dapr/events/<role>/<topic>/bulk} with bulk delivery on, else
 * {@code /dapr/events/<role>/<topic>}, dead letters to {@code task.deadletter}) and calls
 * each route with a batch of CloudEvents or one, which go to the same entry point the
 * in-process transport calls. Served here rather than by the Dapr SDK's {@code @Topic}
 * scanning, so the routes follow the declarations (the SDK's controller is excluded in
 * {@code TaskstreamApplication}).
 */
@RestController
@ConditionalOnProperty(name = "taskstream.events.transport", havingValue = "dapr")
class DaprSubscriptions {

	/** The route prefix of every subscription endpoint; the app token guards it. */
	static final String ROUTE_PREFIX = "/dapr/events/";

	/** What a role's route for bulk deliveries adds to its single-event route. */
	static final String BULK_SUFFIX = "/bulk";

	private final Subscriptions subscriptions;

	private final String pubsubName;

	private final EventsProperties.Bulk bulk;

	private final ObservationRegistry observations;

	private final ObjectProvider<Tracer> tracer;

	DaprSubscriptions(Subscriptions subscriptions, EventsProperties properties,
			ObjectProvider<ObservationRegistry> observations, ObjectProvider<Tracer> tracer) {
		this.subscriptions = subscriptions;
		this.pubsubName = properties.dapr().pubsubName();
		this.bulk = properties.dapr().bulk();
		this.observations = observations.getIfAvailable(() -> ObservationRegistry.NOOP);
		this.tracer = tracer;
	}

	/** Dapr's programmatic subscriptions, as {@code daprd} reads them at start. */
	@GetMapping("/dapr/subscribe")
	List<Map<String, Object>> subscribe() {
		return entries(this.subscriptions, this.pubsubName, this.bulk);
	}

	@PostMapping(ROUTE_PREFIX + "{role}/{topic}")
	ResponseEntity<DaprDelivery> deliver(@PathVariable String role, @PathVariable String topic,
			@RequestBody byte[] cloudEvent) {
		if (!this.subscriptions.takes(role, topic)) {
			throw Problems.notFound("No role " + role + " taking " + topic + " runs here.");
		}
		return DaprDelivery.answer(this.subscriptions.deliver(role, topic, cloudEvent));
	}

	/**
	 * A bulk delivery (Dapr bulk subscribe): the body has the batch's {@code entries},
	 * each {@code {entryId, event, contentType, metadata}} with the CloudEvent as a JSON
	 * object in {@code event}; the answer has one {@code {entryId, status}} per entry in
	 * {@code statuses}. A body that is not such a batch, or a route of a role that does
	 * not run here, is answered 400 (problem JSON), which the sidecar retries like any
	 * failure and then dead-letters: nothing in it is lost.
	 */
	@PostMapping(ROUTE_PREFIX + "{role}/{topic}" + BULK_SUFFIX)
	BulkAnswer deliverAll(@PathVariable String role, @PathVariable String topic, @RequestBody JsonNode body) {
		if (!this.subscriptions.takes(role, topic)) {
			// not 404: Dapr 1.18 takes a 404 to a bulk delivery as every entry handled
			// (counted as dropped, but never dead-lettered), so the batch would be lost
			throw Problems.invalidField("role", "no role " + role + " taking " + topic
					+ " runs here: the sidecar retries, then dead-letters the batch");
		}
		List<BulkEntry> entries = BulkEntry.of(body);
		Tracer tracer = this.tracer.getIfAvailable();
		Span delivery = (tracer != null) ? tracer.currentSpan() : null;
		EntrySpans spans = new EntrySpans(this.observations, role, ROUTE_PREFIX + role + "/" + topic + BULK_SUFFIX,
				(delivery != null && !delivery.isNoop()) ? delivery.context() : null);
		List<Outcome> outcomes = this.subscriptions.deliverAll(role, topic,
				entries.stream().map(BulkEntry::event).toList(), spans);
		List<BulkAnswer.Status> statuses = new ArrayList<>(entries.size());
		for (int i = 0; i < entries.size(); i++) {
			statuses.add(new BulkAnswer.Status(entries.get(i).entryId(), outcomes.get(i).name()));
		}
		return new BulkAnswer(statuses);
	}

	/** The {@code /dapr/subscribe} entries of some subscriptions. */
	static List<Map<String, Object>> entries(Subscriptions subscriptions, String pubsubName,
			EventsProperties.Bulk bulk) {
		return subscriptions.routes().stream().map((route) -> {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("pubsubname", pubsubName);
			entry.put("topic", route.topic());
			String path = ROUTE_PREFIX + route.role() + "/" + route.topic();
			entry.put("route", bulk.enabled() ? path + BULK_SUFFIX : path);
			if (route.deadLetterTopic() != null) {
				entry.put("deadLetterTopic", route.deadLetterTopic());
			}
			if (bulk.enabled()) {
				entry.put("bulkSubscribe", Map.of("enabled", true, "maxMessagesCount", bulk.maxMessages(),
						"maxAwaitDurationMs", bulk.maxAwait().toMillis()));
			}
			return entry;
		}).toList();
	}

}
