package io.taskstream.notifications;

import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.taskstream.platform.ConditionalOnRole;
import io.taskstream.platform.FieldProblem;
import io.taskstream.platform.Problems;
import io.taskstream.platform.UserId;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/webhooks}: a user's webhooks. Each delivery is an event envelope, signed
 * with the webhook's secret ({@code X-Taskstream-Signature: t=<unix>,v1=<hex HMAC-SHA256
 * of "t.body">}), and logged under {@code /{id}/deliveries}.
 */
@RestController
@RequestMapping(path = "/api/v1/webhooks",
		produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE })
@ConditionalOnRole("notifications")
class WebhooksController {

	private static final Set<String> EVENT_TYPES = Set.of("created", "updated", "deleted", "completed");

	private static final Set<String> FIELDS = Set.of("url", "events", "secret");

	private static final SecureRandom random = new SecureRandom();

	private final Webhooks webhooks;

	private final WebhookTargets targets;

	WebhooksController(Webhooks webhooks, WebhookTargets targets) {
		this.webhooks = webhooks;
		this.targets = targets;
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	@ResponseStatus(HttpStatus.CREATED) // what ResponseEntity answers, for the OpenAPI
										// document
	ResponseEntity<Webhooks.Webhook> register(UserId user, @RequestBody JsonNode body) {
		if (body == null || !body.isObject()) {
			throw Problems.invalidField("$", "the body must be a JSON object");
		}
		List<FieldProblem> problems = new ArrayList<>();
		for (Map.Entry<String, JsonNode> field : body.properties()) {
			if (!FIELDS.contains(field.getKey())) {
				problems.add(new FieldProblem(field.getKey(), "is not a field of a webhook"));
			}
		}
		JsonNode url = body.path("url");
		if (!url.isString() || url.asString().length() > 2048) {
			problems.add(new FieldProblem("url", "is required: an http(s) URL of at most 2048 characters"));
		}
		else if (this.targets.refusal(url.asString()) != null) {
			problems.add(new FieldProblem("url", this.targets.refusal(url.asString())));
		}
		Set<String> events = new LinkedHashSet<>();
		JsonNode list = body.path("events");
		if (!list.isArray() || list.isEmpty()) {
			problems.add(new FieldProblem("events", "is required: a non-empty array of " + EVENT_TYPES));
		}
		else {
			list.forEach((type) -> {
				if (type.isString() && EVENT_TYPES.contains(type.asString())) {
					events.add(type.asString());
				}
				else {
					problems
						.add(new FieldProblem("events", "each must be one of [created, updated, deleted, completed]"));
				}
			});
		}
		JsonNode secret = body.path("secret");
		if (!secret.isMissingNode()
				&& (!secret.isString() || secret.asString().length() < 16 || secret.asString().length() > 128)) {
			problems.add(new FieldProblem("secret", "must be a string of 16 to 128 characters"));
		}
		if (!problems.isEmpty()) {
			throw Problems.invalidRequest(problems);
		}
		String key = secret.isString() ? secret.asString() : newSecret();
		Webhooks.Webhook webhook = this.webhooks.register(user.value(), url.asString(), List.copyOf(events), key);
		Webhooks.Webhook shown = new Webhooks.Webhook(webhook.id(), webhook.url(), webhook.events(),
				webhook.createdAt(), key);
		return ResponseEntity.created(URI.create("/api/v1/webhooks/" + webhook.id())).body(shown);
	}

	@GetMapping
	List<Webhooks.Webhook> list(UserId user) {
		return this.webhooks.list(user.value());
	}

	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT) // what ResponseEntity answers, for the OpenAPI
											// document
	ResponseEntity<Void> delete(UserId user, @PathVariable long id) {
		if (!this.webhooks.delete(user.value(), id)) {
			throw Problems.notFound("No webhook " + id + " for this user.");
		}
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/{id}/deliveries")
	List<Webhooks.Delivery> deliveries(UserId user, @PathVariable long id) {
		if (!this.webhooks.owns(user.value(), id)) {
			throw Problems.notFound("No webhook " + id + " for this user.");
		}
		return this.webhooks.deliveries(id);
	}

	private static String newSecret() {
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

}
