package io.taskstream.notifications;

import java.util.List;
import java.util.stream.Stream;

import io.taskstream.BadRequestCorpus;
import io.taskstream.IntegrationTest;

/** The notifications role's bad requests: notifications, their stream, and webhooks. */
@IntegrationTest
class NotificationsBadRequestCorpusIntegrationTests extends BadRequestCorpus {

	static final String WEBHOOKS = "/api/v1/webhooks";

	@Override
	protected int atLeast() {
		return 35;
	}

	@Override
	protected Stream<Case> cases() {
		return Stream.of(notifications(), registrations(), targets(), others()).flatMap(List::stream);
	}

	private static Case register(String name, String body) {
		return bad(name, "POST", WEBHOOKS, 400, "invalid-request").json(body);
	}

	private static String hook(String url) {
		return "{\"url\":\"" + url + "\",\"events\":[\"completed\"]}";
	}

	static List<Case> notifications() {
		String notifications = "/api/v1/notifications";
		return List.of(
				bad("notifications without identity", "GET", notifications, 401, "unauthenticated").as(As.ANONYMOUS),
				bad("notifications with unread=maybe", "GET", notifications + "?unread=maybe", 400,
						"malformed-request"),
				bad("read an unknown notification", "POST", notifications + "/999999999/read", 404, "not-found"),
				bad("read another user's notification", "POST", notifications + "/{notification}/read", 404,
						"not-found")
					.user("someone-else"),
				bad("read a non-numeric notification", "POST", notifications + "/abc/read", 400, "malformed-request"),
				bad("read with GET", "GET", notifications + "/{notification}/read", 405, "method-not-allowed"),
				bad("stream with bad Last-Event-ID", "GET", notifications + "/stream", 400, "invalid-request")
					.header("Last-Event-ID", "abc"),
				bad("stream without identity", "GET", notifications + "/stream", 401, "unauthenticated")
					.as(As.ANONYMOUS));
	}

	static List<Case> registrations() {
		return List.of(register("webhook without url", "{\"events\":[\"completed\"]}"),
				register("webhook with numeric url", "{\"url\":5,\"events\":[\"completed\"]}"),
				register("webhook without events", "{\"url\":\"https://93.184.216.34/hook\"}"),
				register("webhook with empty events", "{\"url\":\"https://93.184.216.34/hook\",\"events\":[]}"),
				register("webhook with unknown event", "{\"url\":\"https://93.184.216.34/hook\",\"events\":[\"x\"]}"),
				register("webhook with null event", "{\"url\":\"https://93.184.216.34/hook\",\"events\":[null]}"),
				register("webhook with events as text",
						"{\"url\":\"https://93.184.216.34/hook\",\"events\":\"completed\"}"),
				register("webhook with short secret",
						"{\"url\":\"https://93.184.216.34/hook\",\"events\":[\"completed\"],\"secret\":\"short\"}"),
				register("webhook with NUL secret",
						"{\"url\":\"https://93.184.216.34/hook\",\"events\":[\"completed\"],"
								+ "\"secret\":\"0123456789abcdef\\u0000\"}"),
				register("webhook with lone surrogate secret",
						"{\"url\":\"https://93.184.216.34/hook\","
								+ "\"events\":[\"completed\"],\"secret\":\"0123456789abcdef\\ud800\"}"),
				register("webhook with unknown field",
						"{\"url\":\"https://93.184.216.34/hook\",\"events\":[\"completed\"],\"active\":true}"),
				register("webhook with url too long", hook("https://93.184.216.34/" + "a".repeat(2100))),
				register("webhook with NUL in url", hook("https://93.184.216.34/\\u0000")),
				register("webhook as an array", "[]"), register("webhook as null", "null"),
				register("webhook with a url that is not one", hook("not a url")),
				register("webhook with a javascript url", hook("javascript:alert(1)")),
				register("webhook with a file url", hook("file:///etc/passwd")),
				register("webhook with an empty url", hook("")));
	}

	static List<Case> targets() {
		// the address and port rules are unit-tested (WebhookTargetsTests): this shared
		// context allows private targets, for the tests' local receivers
		return List.of(register("webhook to ftp", hook("ftp://93.184.216.34/hook")),
				register("webhook with user info", hook("https://user:pw@93.184.216.34/hook")));
	}

	static List<Case> others() {
		return List.of(
				bad("webhook with text/plain", "POST", WEBHOOKS, 415, "unsupported-media-type").body("text/plain",
						hook("https://93.184.216.34/hook")),
				bad("webhooks without identity", "GET", WEBHOOKS, 401, "unauthenticated").as(As.ANONYMOUS),
				bad("delete an unknown webhook", "DELETE", WEBHOOKS + "/999999999", 404, "not-found"),
				bad("delete a non-numeric webhook", "DELETE", WEBHOOKS + "/abc", 400, "malformed-request"),
				bad("deliveries of a non-numeric webhook", "GET", WEBHOOKS + "/abc/deliveries", 400,
						"malformed-request"),
				bad("notifications with a NUL flag", "GET", "/api/v1/notifications?unread=%00", 400,
						"malformed-request"),
				bad("deliveries of an unknown webhook", "GET", WEBHOOKS + "/999999999/deliveries", 404, "not-found"),
				bad("PUT a webhook", "PUT", WEBHOOKS + "/1", 405, "method-not-allowed").json("{}"));
	}

}
