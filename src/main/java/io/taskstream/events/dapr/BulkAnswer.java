package io.taskstream.events.dapr;

import java.util.List;

/**
 * The answer to a bulk delivery, as Dapr's bulk subscribe reads it: one status per entry,
 * {@code SUCCESS}, {@code RETRY} or {@code DROP} (an entry left out would be retried).
 *
 * @param statuses one per entry of the delivery, in its order
 */
record BulkAnswer(List<Status> statuses) {

	/**
	 * @param entryId the entry's id, as delivered
	 * @param status the outcome's name
	 */
	record Status(String entryId, String status) {
	}

}
