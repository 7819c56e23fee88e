package io.taskstream.events.dapr;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.taskstream.platform.Problems;
import tools.jackson.databind.JsonNode;

/**
 * One entry of a bulk delivery: its id, which the answer repeats, and its event. A
 * CloudEvent entry arrives as a JSON object; whether that object is a valid task event is
 * the subscription's concern (poison is answered DROP for that entry alone).
 *
 * @param entryId the sidecar's id of the entry, unique in the delivery
 * @param event the entry's CloudEvent
 */
record BulkEntry(String entryId, JsonNode event) {

	/**
	 * The entries of a bulk delivery's body.
	 * @throws org.springframework.web.ErrorResponseException 400 if the body is not a
	 * batch of entries, each with its own id and an event
	 */
	static List<BulkEntry> of(JsonNode body) {
		JsonNode entries = (body != null && body.isObject()) ? body.get("entries") : null;
		if (entries == null || !entries.isArray()) {
			throw Problems.invalidField("entries", "must be an array of {entryId, event} objects");
		}
		List<BulkEntry> read = new ArrayList<>(entries.size());
		Set<String> ids = new HashSet<>();
		for (int i = 0; i < entries.size(); i++) {
			JsonNode entry = entries.get(i);
			JsonNode id = entry.path("entryId");
			if (!id.isString() || id.asString().isBlank()) {
				throw Problems.invalidField("entries[" + i + "].entryId", "must be a non-blank string");
			}
			if (!ids.add(id.asString())) {
				throw Problems.invalidField("entries[" + i + "].entryId", "repeats an earlier entry's id");
			}
			JsonNode event = entry.get("event");
			if (event == null || event.isNull()) {
				throw Problems.invalidField("entries[" + i + "].event", "is missing");
			}
			read.add(new BulkEntry(id.asString(), event));
		}
		return read;
	}

}
