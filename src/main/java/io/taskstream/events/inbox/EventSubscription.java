package io.taskstream.events.inbox;

import io.taskstream.events.Outcome;

/** How one role takes the deliveries of one or more of its topics. */
@FunctionalInterface
interface EventSubscription {

	/**
	 * Handles one delivery.
	 * @param topic the topic it arrived on
	 * @param cloudEvent the CloudEvent as JSON bytes, exactly as delivered
	 * @return what the transport should do with it
	 */
	Outcome deliver(String topic, byte[] cloudEvent);

}
