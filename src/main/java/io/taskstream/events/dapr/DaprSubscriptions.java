package io.taskstream.events.dapr;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.taskstream.events.EventsProperties;
import io.taskstream.events.inbox.Subscriptions;
import io.taskstream.platform.Problems;

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
 * {@code /dapr/events/<role>/<topic>}, dead letters to {@code task.deadletter}) and calls
 * each route with a CloudEvent, which goes to the same entry point the in-process
 * transport calls. Served here rather than by the Dapr SDK's {@code @Topic} scanning, so
 * the routes follow the declarations (the SDK's controller is excluded in
 * {@code TaskstreamApplication}).
 */
@RestController
@ConditionalOnProperty(name = "taskstream.events.transport", havingValue = "dapr")
class DaprSubscriptions {

	/** The route prefix of every subscription endpoint; the app token guards it. */
	static final String ROUTE_PREFIX = "/dapr/events/";

	private final Subscriptions subscriptions;

	private final String pubsubName;

	DaprSubscriptions(Subscriptions subscriptions, EventsProperties properties) {
		this.subscriptions = subscriptions;
		this.pubsubName = properties.dapr().pubsubName();
	}

	/** Dapr's programmatic subscriptions, as {@code daprd} reads them at start. */
	@GetMapping("/dapr/subscribe")
	List<Map<String, Object>> subscribe() {
		return entries(this.subscriptions, this.pubsubName);
	}

	@PostMapping(ROUTE_PREFIX + "{role}/{topic}")
	ResponseEntity<DaprDelivery> deliver(@PathVariable String role, @PathVariable String topic,
			@RequestBody byte[] cloudEvent) {
		if (!this.subscriptions.takes(role, topic)) {
			throw Problems.notFound("No role " + role + " taking " + topic + " runs here.");
		}
		return DaprDelivery.answer(this.subscriptions.deliver(role, topic, cloudEvent));
	}

	/** The {@code /dapr/subscribe} entries of some subscriptions. */
	static List<Map<String, Object>> entries(Subscriptions subscriptions, String pubsubName) {
		return subscriptions.routes().stream().map((route) -> {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("pubsubname", pubsubName);
			entry.put("topic", route.topic());
			entry.put("route", ROUTE_PREFIX + route.role() + "/" + route.topic());
			if (route.deadLetterTopic() != null) {
				entry.put("deadLetterTopic", route.deadLetterTopic());
			}
			return entry;
		}).toList();
	}

}
