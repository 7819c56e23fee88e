package io.taskstream.audit;

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
 * The audit role's Dapr subscriptions: the sidecar learns them from
 * {@code GET /dapr/subscribe} and calls one endpoint per topic, each with
 * {@code task.deadletter} as its dead-letter topic, and audit also takes
 * {@code task.deadletter}. Every endpoint hands the CloudEvent to the same entry point
 * the in-process transport calls.
 */
@RestController
@ConditionalOnRole("audit")
@ConditionalOnProperty(name = "taskstream.events.transport", havingValue = "dapr")
class AuditDaprSubscriptions {

	private final EventSubscription taskEvents;

	private final EventSubscription deadLetters;

	AuditDaprSubscriptions(@Qualifier("auditTaskEvents") EventSubscription taskEvents,
			@Qualifier("auditDeadLetters") EventSubscription deadLetters) {
		this.taskEvents = taskEvents;
		this.deadLetters = deadLetters;
	}

	@Topic(name = "task.created", pubsubName = DaprDelivery.PUBSUB, deadLetterTopic = EventType.DEAD_LETTER_TOPIC)
	@PostMapping(DaprDelivery.ROUTE_PREFIX + "audit/task.created")
	ResponseEntity<DaprDelivery> created(@RequestBody byte[] cloudEvent) {
		return DaprDelivery.answer(this.taskEvents.deliver("task.created", cloudEvent));
	}

	@Topic(name = "task.updated", pubsubName = DaprDelivery.PUBSUB, deadLetterTopic = EventType.DEAD_LETTER_TOPIC)
	@PostMapping(DaprDelivery.ROUTE_PREFIX + "audit/task.updated")
	ResponseEntity<DaprDelivery> updated(@RequestBody byte[] cloudEvent) {
		return DaprDelivery.answer(this.taskEvents.deliver("task.updated", cloudEvent));
	}

	@Topic(name = "task.deleted", pubsubName = DaprDelivery.PUBSUB, deadLetterTopic = EventType.DEAD_LETTER_TOPIC)
	@PostMapping(DaprDelivery.ROUTE_PREFIX + "audit/task.deleted")
	ResponseEntity<DaprDelivery> deleted(@RequestBody byte[] cloudEvent) {
		return DaprDelivery.answer(this.taskEvents.deliver("task.deleted", cloudEvent));
	}

	@Topic(name = "task.completed", pubsubName = DaprDelivery.PUBSUB, deadLetterTopic = EventType.DEAD_LETTER_TOPIC)
	@PostMapping(DaprDelivery.ROUTE_PREFIX + "audit/task.completed")
	ResponseEntity<DaprDelivery> completed(@RequestBody byte[] cloudEvent) {
		return DaprDelivery.answer(this.taskEvents.deliver("task.completed", cloudEvent));
	}

	@Topic(name = "task.replay", pubsubName = DaprDelivery.PUBSUB, deadLetterTopic = EventType.DEAD_LETTER_TOPIC)
	@PostMapping(DaprDelivery.ROUTE_PREFIX + "audit/task.replay")
	ResponseEntity<DaprDelivery> replay(@RequestBody byte[] cloudEvent) {
		return DaprDelivery.answer(this.taskEvents.deliver(EventType.REPLAY_TOPIC, cloudEvent));
	}

	@Topic(name = EventType.DEAD_LETTER_TOPIC, pubsubName = DaprDelivery.PUBSUB)
	@PostMapping(DaprDelivery.ROUTE_PREFIX + "audit/" + EventType.DEAD_LETTER_TOPIC)
	ResponseEntity<DaprDelivery> deadLetter(@RequestBody byte[] cloudEvent) {
		return DaprDelivery.answer(this.deadLetters.deliver(EventType.DEAD_LETTER_TOPIC, cloudEvent));
	}

}
