package io.taskstream.events.inbox;

import java.util.function.Supplier;

import tools.jackson.databind.JsonNode;

/**
 * Runs the work of one entry of a batch within that entry's own trace: a batch carries
 * events of many requests, and each event's handling belongs to the trace of the request
 * that caused it (its CloudEvent's {@code traceparent}), not to the batch's.
 */
public interface EntryTracing {

	/** No trace of its own: the work runs in whatever observation is current. */
	EntryTracing NONE = new EntryTracing() {

		@Override
		public <T> T within(String topic, JsonNode cloudEvent, Supplier<T> work) {
			return work.get();
		}

	};

	/**
	 * @param topic the topic the batch came on
	 * @param cloudEvent the entry's CloudEvent
	 * @param work what to do for it; its exceptions pass through
	 */
	<T> T within(String topic, JsonNode cloudEvent, Supplier<T> work);

}
