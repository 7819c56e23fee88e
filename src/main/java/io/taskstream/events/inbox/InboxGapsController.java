package io.taskstream.events.inbox;

import java.security.Principal;

import jakarta.servlet.http.HttpServletRequest;

import io.taskstream.platform.OperatorOnly;
import io.taskstream.platform.Problems;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operator API for ordering gaps, one controller for every subscriber role: each process
 * answers for the inboxes it runs, under the role's own path prefix, so the routes that
 * already send {@code /api/v1/analytics}, {@code /api/v1/notifications} and
 * {@code /api/v1/events} (audit) to their role reach the right inbox. A process that does
 * not run the role answers 404.
 * <ul>
 * <li>{@code GET .../gaps}: the tasks waiting for a missing event and the latest
 * skips;</li>
 * <li>{@code POST .../gaps/{taskId}/skip}: stop waiting, apply the task's parked events
 * without the missing ones, and record who did it.</li>
 * </ul>
 */
@RestController
class InboxGapsController {

	private static final String JSON = MediaType.APPLICATION_JSON_VALUE;

	private static final String PROBLEM = MediaType.APPLICATION_PROBLEM_JSON_VALUE;

	private final Inboxes inboxes;

	private final InboxGaps gaps;

	InboxGapsController(Inboxes inboxes, InboxGaps gaps) {
		this.inboxes = inboxes;
		this.gaps = gaps;
	}

	// The prefix is constrained to the three roles' own, so no other path maps here
	@GetMapping(path = "/api/v1/{prefix:analytics|notifications|events}/gaps", produces = { JSON, PROBLEM })
	@OperatorOnly
	InboxGaps.Report report(@PathVariable String prefix) {
		return this.gaps.report(inbox(role(prefix)));
	}

	@PostMapping(path = "/api/v1/{prefix:analytics|notifications|events}/gaps/{taskId}/skip",
			produces = { JSON, PROBLEM })
	@OperatorOnly
	InboxGaps.Skip skip(@PathVariable String prefix, @PathVariable long taskId, HttpServletRequest request) {
		String role = role(prefix);
		return this.gaps.skip(inbox(role), taskId, operator(request))
			.orElseThrow(() -> Problems.notFound("Task " + taskId + " has no event waiting in " + role + "."));
	}

	/** Audit answers under {@code /api/v1/events}, the other roles under their name. */
	private static String role(String prefix) {
		return prefix.equals("events") ? "audit" : prefix;
	}

	private Inbox inbox(String role) {
		return this.inboxes.all()
			.stream()
			.filter((inbox) -> inbox.schema().equals(role))
			.findFirst()
			.orElseThrow(() -> Problems.notFound("This process does not run the " + role + " role."));
	}

	/** Who skipped: the authenticated operator's name when the request carries one. */
	private static String operator(HttpServletRequest request) {
		Principal principal = request.getUserPrincipal();
		return (principal != null && principal.getName() != null && !principal.getName().isBlank())
				? principal.getName() : "operator";
	}

}
