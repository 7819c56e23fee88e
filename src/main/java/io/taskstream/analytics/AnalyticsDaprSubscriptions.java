package io.taskstream.analytics;

import io.dapr.Topic;
import io.taskstream.events.DaprDelivery;
import io.taskstream.events.EventSubscription;
import io.taskstream.events.EventType;
import io.taskstream.platform.ConditionalOnRole;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The analytics role's Dapr subscriptions: the sidecar learns them from
 * {@code GET /dapr/subscribe} and calls one endpoint per topic, each with
 * {@code task.deadletter} as its dead-letter topic. Every endpoint hands the CloudEvent
 * to the same entry point the in-process transport calls.
 */
@RestController
@ConditionalOnRole("analytics")
@ConditionalOnProperty(name = "taskstream.events.transport", havingValue = "dapr")
class AnalyticsDaprSubscriptions {

	private final EventSubscription taskEvents;

	AnalyticsDaprSubscriptions(@Qualifier("analyticsTaskEvents") EventSubscription taskEvents) {
		this.taskEvents = taskEvents;
	}

	@Topic(name = "task.created", pubsubName = DaprDelivery.PUBSUB, deadLetterTopic = EventType.DEAD_LETTER_TOPIC)
	@PostMapping(DaprDelivery.ROUTE_PREFIX + "analytics/task.created")
	ResponseEntity<DaprDelivery> created(@RequestBody byte[] cloudEvent) {
		return DaprDelivery.answer(this.taskEvents.deliver("task.created", cloudEvent));
	}

	@Topic(name = "task.updated", pubsubName = DaprDelivery.PUBSUB, deadLetterTopic = EventType.DEAD_LETTER_TOPIC)
	@PostMapping(DaprDelivery.ROUTE_PREFIX + "analytics/task.updated")
	ResponseEntity<DaprDelivery> updated(@RequestBody byte[] cloudEvent) {
		return DaprDelivery.answer(this.taskEvents.deliver("task.updated", cloudEvent));
	}

	@Topic(name = "task.deleted", pubsubName = DaprDelivery.PUBSUB, deadLetterTopic = EventType.DEAD_LETTER_TOPIC)
	@PostMapping(DaprDelivery.ROUTE_PREFIX + "analytics/task.deleted")
	ResponseEntity<DaprDelivery> deleted(@RequestBody byte[] cloudEvent) {
		return DaprDelivery.answer(this.taskEvents.deliver("task.deleted", cloudEvent));
	}

	@Topic(name = "task.completed", pubsubName = DaprDelivery.PUBSUB, deadLetterTopic = EventType.DEAD_LETTER_TOPIC)
	@PostMapping(DaprDelivery.ROUTE_PREFIX + "analytics/task.completed")
	ResponseEntity<DaprDelivery> completed(@RequestBody byte[] cloudEvent) {
		return DaprDelivery.answer(this.taskEvents.deliver("task.completed", cloudEvent));
	}

	@Topic(name = "task.replay", pubsubName = DaprDelivery.PUBSUB, deadLetterTopic = EventType.DEAD_LETTER_TOPIC)
	@PostMapping(DaprDelivery.ROUTE_PREFIX + "analytics/task.replay")
	ResponseEntity<DaprDelivery> replay(@RequestBody byte[] cloudEvent) {
		return DaprDelivery.answer(this.taskEvents.deliver(EventType.REPLAY_TOPIC, cloudEvent));
	}

}
