package io.taskstream.audit;

import java.util.List;

import io.taskstream.events.CloudEvents;
import io.taskstream.events.EventPublisher;
import io.taskstream.platform.ConditionalOnRole;
import io.taskstream.platform.OperatorOnly;
import io.taskstream.platform.Problems;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operator tooling for dead letters: list them, and redrive one to its original topic
 * once the consumer (or the event) is fixed. A redriven event that fails again comes back
 * to the list as open; nothing redrives automatically, so there is no loop.
 */
@RestController
@RequestMapping(path = "/api/v1/deadletters",
		produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE })
@ConditionalOnRole("audit")
class DeadLettersController {

	/**
	 * Fields the sidecar adds to a CloudEvent, which it must set anew when it is
	 * republished.
	 */
	private static final List<String> SIDECAR_FIELDS = List.of("topic", "pubsubname", "traceid", "traceparent",
			"tracestate");

	private final DeadLetterStore store;

	private final EventPublisher publisher;

	DeadLettersController(DeadLetterStore store, EventPublisher publisher) {
		this.store = store;
		this.publisher = publisher;
	}

	@GetMapping
	@OperatorOnly
	List<DeadLetterStore.DeadLetter> list(@RequestParam(required = false) String status) {
		if (status != null && !List.of("open", "redriven").contains(status)) {
			throw Problems.invalidField("status", "must be one of [open, redriven]");
		}
		return this.store.list(status);
	}

	@PostMapping("/{id}/redrive")
	@OperatorOnly
	DeadLetterStore.DeadLetter redrive(@PathVariable long id) {
		DeadLetterStore.DeadLetter letter = this.store.find(id)
			.orElseThrow(() -> Problems.notFound("No dead letter " + id + "."));
		if (letter.topic() == null) {
			throw Problems
				.conflict("Dead letter " + id + " does not say which topic it came from; it cannot be redriven.");
		}
		JsonNode cloudEvent;
		try {
			cloudEvent = CloudEvents.tree(letter.payload());
		}
		catch (RuntimeException ex) {
			cloudEvent = null;
		}
		if (!(cloudEvent instanceof ObjectNode event)) {
			throw Problems.conflict("Dead letter " + id + " is not a CloudEvent; it cannot be redriven.");
		}
		SIDECAR_FIELDS.forEach(event::remove);
		long key = event.path("subject").asLong(0);
		// marked first: if it fails again, its return (even a synchronous one) reopens it
		this.store.markRedriven(id);
		try {
			this.publisher.publish(letter.topic(), key, event.toString());
		}
		catch (RuntimeException ex) {
			this.store.reopen(id);
			throw ex;
		}
		return this.store.find(id).orElseThrow();
	}

}
