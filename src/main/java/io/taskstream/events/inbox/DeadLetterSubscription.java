package io.taskstream.events.inbox;

import java.util.ArrayList;
import java.util.List;

import io.taskstream.events.CloudEvents;
import io.taskstream.events.DeadLetterHandler;
import io.taskstream.events.Outcome;
import io.taskstream.events.metrics.EventMetrics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.JsonNode;

/**
 * A role's subscription to the dead letters: hands each to the role's handler and counts
 * it by the topic it came from. A dead letter is never dropped again: its handler either
 * takes it or fails (and it comes back).
 */
final class DeadLetterSubscription implements EventSubscription {

	private static final Log log = LogFactory.getLog(DeadLetterSubscription.class);

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

	/** Each dead letter on its own: one whose handler fails comes back alone. */
	@Override
	public List<Outcome> deliverAll(String topic, List<JsonNode> cloudEvents, EntryTracing tracing) {
		List<Outcome> outcomes = new ArrayList<>(cloudEvents.size());
		for (JsonNode cloudEvent : cloudEvents) {
			try {
				outcomes.add(tracing.within(topic, cloudEvent, () -> {
					this.handler.handle(CloudEvents.bytes(cloudEvent));
					return Outcome.SUCCESS;
				}));
				this.metrics.deadLetter(CloudEvents.originalTopic(cloudEvent));
			}
			catch (RuntimeException ex) {
				log.warn("will retry a dead letter on " + topic + ": " + ex, ex);
				outcomes.add(Outcome.RETRY);
			}
		}
		return outcomes;
	}

}
