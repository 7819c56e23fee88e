package io.taskstream.events.inbox;

import io.taskstream.events.CloudEvents;
import io.taskstream.events.DeadLetterHandler;
import io.taskstream.events.Outcome;
import io.taskstream.events.metrics.EventMetrics;

/**
 * A role's subscription to the dead letters: hands each to the role's handler and counts
 * it by the topic it came from. A dead letter is never dropped again: its handler either
 * takes it or fails (and it comes back).
 */
final class DeadLetterSubscription implements EventSubscription {

	private final DeadLetterHandler handler;

	private final EventMetrics metrics;

	DeadLetterSubscription(DeadLetterHandler handler, EventMetrics metrics) {
		this.handler = handler;
		this.metrics = metrics;
	}

	@Override
	public Outcome deliver(String topic, byte[] cloudEvent) {
		this.handler.handle(cloudEvent);
		this.metrics.deadLetter(CloudEvents.originalTopic(cloudEvent));
		return Outcome.SUCCESS;
	}

}
