package io.taskstream.events.inbox;

import java.util.List;

import io.taskstream.events.Outcome;
import tools.jackson.databind.JsonNode;

/** How one role takes the deliveries of one or more of its topics. */
interface EventSubscription {

	/**
	 * Handles one delivery.
	 * @param topic the topic it arrived on
	 * @param cloudEvent the CloudEvent as JSON bytes, exactly as delivered
	 * @return what the transport should do with it
	 */
	Outcome deliver(String topic, byte[] cloudEvent);

	/**
	 * Handles a batch of deliveries from one topic, each with its own answer: one that
	 * fails or is poison never changes another's.
	 * @param topic the topic they arrived on
	 * @param cloudEvents the CloudEvents, in delivery order
	 * @param tracing runs each entry's work in the entry's own trace
	 * @return what the transport should do with each, in the same order
	 */
	List<Outcome> deliverAll(String topic, List<JsonNode> cloudEvents, EntryTracing tracing);

}
