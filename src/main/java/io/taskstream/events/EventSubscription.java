package io.taskstream.events;

import java.util.Set;

/**
 * One role's subscription to some topics: the single entry point through which every
 * transport (in-process, or a Dapr sidecar calling the role's {@code @Topic} endpoint)
 * hands it events.
 */
public interface EventSubscription {

	/** The subscribing role, e.g. {@code audit}. */
	String role();

	/** The topics it receives. */
	Set<String> topics();

	/**
	 * Handles one delivery.
	 * @param topic the topic it arrived on
	 * @param cloudEvent the CloudEvent as JSON bytes, exactly as delivered
	 * @return what the transport should do with it
	 */
	Outcome deliver(String topic, byte[] cloudEvent);

}
