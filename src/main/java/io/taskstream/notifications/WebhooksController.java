package io.taskstream.notifications;

import java.net.URI;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;

import io.taskstream.platform.ConditionalOnRole;
import io.taskstream.platform.Problems;
import io.taskstream.platform.RequestBodies;
import io.taskstream.platform.Text;
import io.taskstream.platform.UserId;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
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

	private static final SecureRandom random = new SecureRandom();

	private final Webhooks webhooks;

	private final WebhookTargets targets;

	WebhooksController(Webhooks webhooks, WebhookTargets targets) {
		this.webhooks = webhooks;
		this.targets = targets;
	}

	/**
	 * The body of a registration.
	 *
	 * @param secret the signing key; one is made up when none is given
	 */
	record NewWebhook(
			@NotNull(message = "is required: an http(s) URL of at most 2048 characters") @Text(max = 2048,
					maxBytes = 2048) String url,
			@NotEmpty(
					message = "is required: a non-empty array of [created, updated, deleted, completed]") List<@NotNull(
							message = "each must be one of [created, updated, deleted, completed]") @Pattern(
									regexp = "created|updated|deleted|completed",
									message = "each must be one of [created, updated, deleted, completed]") String> events,
			@Size(min = 16, max = 128, message = "must be a string of 16 to 128 characters") @Text(max = 128,
					maxBytes = 512) String secret) {
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	@ResponseStatus(HttpStatus.CREATED) // what ResponseEntity answers, for the OpenAPI
										// document
	ResponseEntity<Webhooks.Webhook> register(UserId user, @RequestBody JsonNode body) {
		NewWebhook webhook = RequestBodies.read(body, NewWebhook.class);
		String refusal = this.targets.refusal(webhook.url());
		if (refusal != null) {
			throw Problems.invalidField("url", refusal);
		}
		String key = (webhook.secret() != null) ? webhook.secret() : newSecret();
		Webhooks.Webhook registered = this.webhooks.register(user.value(), webhook.url(),
				List.copyOf(new LinkedHashSet<>(webhook.events())), key);
		Webhooks.Webhook shown = new Webhooks.Webhook(registered.id(), registered.url(), registered.events(),
				registered.createdAt(), key);
		return ResponseEntity.created(URI.create("/api/v1/webhooks/" + registered.id())).body(shown);
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
