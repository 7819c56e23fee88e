package io.taskstream.tasks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import io.taskstream.BadRequestCorpus;
import io.taskstream.IntegrationTest;

/** The tasks role's bad requests: bodies, bounds, headers, paths and identities. */
@IntegrationTest
class BadRequestCorpusIntegrationTests extends BadRequestCorpus {

	static final String TASKS = "/api/v1/tasks";

	static final String TASK = "/api/v1/tasks/{id}";

	@Override
	protected int atLeast() {
		return 80;
	}

	@Override
	protected Stream<Case> cases() {
		List<Case> cases = new ArrayList<>();
		cases.addAll(createBodies());
		cases.addAll(textBounds());
		cases.addAll(dueDates());
		cases.addAll(patches());
		cases.addAll(others());
		return cases.stream();
	}

	private static Case create(String name, String body) {
		return bad(name, "POST", TASKS, 400, "invalid-request").json(body);
	}

	private static Case patch(String name, String body) {
		return bad(name, "PATCH", TASK, 400, "invalid-request").body("application/merge-patch+json", body);
	}

	static List<Case> createBodies() {
		return List.of(bad("malformed JSON", "POST", TASKS, 400, "malformed-request").json("{\"title\":"),
				create("JSON array body", "[1,2]"), create("JSON string body", "\"title\""),
				create("JSON null body", "null"), create("JSON number body", "42"),
				bad("empty body", "POST", TASKS, 400, "malformed-request").json(""),
				bad("trailing object start", "POST", TASKS, 400, "malformed-request").json("{\"title\":\"x\"} {"),
				bad("trailing second object", "POST", TASKS, 400, "malformed-request")
					.json("{\"title\":\"x\"}{\"title\":\"y\"}"),
				bad("trailing garbage", "POST", TASKS, 400, "malformed-request").json("{\"title\":\"x\"}x"),
				create("missing title", "{\"description\":\"x\"}"), create("blank title", "{\"title\":\"   \"}"),
				create("empty title", "{\"title\":\"\"}"), create("null title", "{\"title\":null}"),
				create("numeric title", "{\"title\":42}"), create("boolean title", "{\"title\":true}"),
				create("object title", "{\"title\":{\"a\":1}}"), create("array title", "{\"title\":[\"x\"]}"),
				create("numeric description", "{\"title\":\"x\",\"description\":7}"),
				create("unknown priority", "{\"title\":\"x\",\"priority\":\"URGENT\"}"),
				create("lower-case priority", "{\"title\":\"x\",\"priority\":\"high\"}"),
				create("numeric priority", "{\"title\":\"x\",\"priority\":1}"),
				create("status on create", "{\"title\":\"x\",\"status\":\"COMPLETED\"}"),
				create("id on create", "{\"title\":\"x\",\"id\":5}"),
				create("version on create", "{\"title\":\"x\",\"version\":5}"),
				create("unknown field", "{\"title\":\"x\",\"colour\":\"red\"}"),
				create("tags not an array", "{\"title\":\"x\",\"tags\":\"home\"}"),
				create("tags an object", "{\"title\":\"x\",\"tags\":{\"a\":\"b\"}}"),
				create("too many tags",
						"{\"title\":\"x\",\"tags\":[" + String.join(",", Collections.nCopies(21, "\"t\"")) + "]}"),
				create("numeric tag", "{\"title\":\"x\",\"tags\":[1]}"),
				create("null tag", "{\"title\":\"x\",\"tags\":[null]}"),
				create("blank tag", "{\"title\":\"x\",\"tags\":[\" \"]}"),
				create("repeated tag", "{\"title\":\"x\",\"tags\":[\"a\",\"a\"]}"),
				create("nested tag array", "{\"title\":\"x\",\"tags\":[[\"a\"]]}"),
				create("every field wrong", "{\"title\":1,\"priority\":2,\"dueDate\":3,\"tags\":4}"));
	}

	static List<Case> textBounds() {
		return List.of(create("title too long", "{\"title\":\"" + "t".repeat(201) + "\"}"),
				create("title too long in emoji", "{\"title\":\"" + "😀".repeat(201) + "\"}"),
				create("description too long", "{\"title\":\"x\",\"description\":\"" + "d".repeat(10_001) + "\"}"),
				create("description over its byte budget",
						"{\"title\":\"x\",\"description\":\"" + "😀".repeat(7_501) + "\"}"),
				create("tag too long", "{\"title\":\"x\",\"tags\":[\"" + "t".repeat(51) + "\"]}"),
				create("tag over its byte budget", "{\"title\":\"x\",\"tags\":[\"" + "😀".repeat(50) + "x\"]}"),
				create("NUL in title", "{\"title\":\"a\\u0000b\"}"),
				create("NUL in description", "{\"title\":\"x\",\"description\":\"a\\u0000b\"}"),
				create("NUL in tag", "{\"title\":\"x\",\"tags\":[\"a\\u0000\"]}"),
				create("bell in title", "{\"title\":\"a\\u0007b\"}"),
				create("newline in title", "{\"title\":\"a\\nb\"}"), create("tab in title", "{\"title\":\"a\\tb\"}"),
				create("escape in title", "{\"title\":\"\\u001b[31mred\"}"),
				create("DEL in title", "{\"title\":\"a\\u007fb\"}"),
				create("C1 control in title", "{\"title\":\"a\\u0085b\"}"),
				create("carriage return in description", "{\"title\":\"x\",\"description\":\"a\\rb\"}"),
				create("vertical tab in description", "{\"title\":\"x\",\"description\":\"a\\u000bb\"}"),
				create("newline in tag", "{\"title\":\"x\",\"tags\":[\"a\\nb\"]}"),
				create("lone high surrogate in title", "{\"title\":\"a\\ud800b\"}"),
				create("lone low surrogate in description", "{\"title\":\"x\",\"description\":\"\\udc00\"}"),
				create("reversed surrogates in tag", "{\"title\":\"x\",\"tags\":[\"\\udc00\\ud800\"]}"));
	}

	static List<Case> dueDates() {
		return List.of(create("dueDate not a date", "{\"title\":\"x\",\"dueDate\":\"tomorrow\"}"),
				create("dueDate without offset", "{\"title\":\"x\",\"dueDate\":\"2026-12-01T10:00:00\"}"),
				create("dueDate date only", "{\"title\":\"x\",\"dueDate\":\"2026-12-01\"}"),
				create("dueDate as a number", "{\"title\":\"x\",\"dueDate\":1764000000}"),
				create("dueDate in year 10000", "{\"title\":\"x\",\"dueDate\":\"+10000-01-01T00:00:00Z\"}"),
				create("dueDate in year 300000", "{\"title\":\"x\",\"dueDate\":\"+300000-01-01T00:00:00Z\"}"),
				create("dueDate in year -1", "{\"title\":\"x\",\"dueDate\":\"-0001-01-01T00:00:00Z\"}"),
				create("dueDate in year -5000", "{\"title\":\"x\",\"dueDate\":\"-5000-01-01T00:00:00Z\"}"),
				create("dueDate in year 0", "{\"title\":\"x\",\"dueDate\":\"0000-06-01T00:00:00Z\"}"),
				create("dueDate in year 0 once in UTC", "{\"title\":\"x\",\"dueDate\":\"0001-01-01T00:30:00+01:00\"}"),
				create("dueDate past 9999 once in UTC", "{\"title\":\"x\",\"dueDate\":\"9999-12-31T23:30:00-01:00\"}"),
				create("dueDate on February 30th", "{\"title\":\"x\",\"dueDate\":\"2026-02-30T10:00:00Z\"}"),
				create("dueDate hour 25", "{\"title\":\"x\",\"dueDate\":\"2026-02-01T25:00:00Z\"}"),
				create("dueDate offset +25:00", "{\"title\":\"x\",\"dueDate\":\"2026-02-01T10:00:00+25:00\"}"),
				patch("patch dueDate in year 10000", "{\"dueDate\":\"+10000-01-01T00:00:00Z\"}"),
				patch("patch dueDate in year -1", "{\"dueDate\":\"-0001-01-01T00:00:00Z\"}"));
	}

	static List<Case> patches() {
		return List.of(patch("patch with null title", "{\"title\":null}"),
				patch("patch with blank title", "{\"title\":\"\"}"),
				patch("patch with unknown status", "{\"status\":\"DONE\"}"),
				patch("patch with null status", "{\"status\":null}"),
				patch("patch with null priority", "{\"priority\":null}"),
				patch("patch with read-only field", "{\"version\":9}"), patch("patch with id", "{\"id\":9}"),
				patch("patch with createdAt", "{\"createdAt\":\"2026-01-01T00:00:00Z\"}"),
				patch("patch with NUL title", "{\"title\":\"\\u0000\"}"),
				patch("patch with title too long", "{\"title\":\"" + "t".repeat(201) + "\"}"),
				patch("patch with too many tags",
						"{\"tags\":[" + String.join(",", Collections.nCopies(21, "\"t\"")) + "]}"),
				patch("patch with repeated tags", "{\"tags\":[\"a\",\"a\"]}"),
				patch("patch with lone surrogate", "{\"description\":\"\\ud800\"}"),
				bad("patch with trailing garbage", "PATCH", TASK, 400, "malformed-request")
					.body("application/merge-patch+json", "{\"title\":\"y\"} ]"),
				patch("patch with an array", "[{\"op\":\"replace\",\"path\":\"/title\",\"value\":\"y\"}]"),
				bad("patch with stale If-Match", "PATCH", TASK, 412, "version-mismatch").json("{\"title\":\"y\"}")
					.header("If-Match", "\"99\""),
				bad("patch with malformed If-Match", "PATCH", TASK, 400, "invalid-request").json("{\"title\":\"y\"}")
					.header("If-Match", "version-1"),
				bad("patch with huge If-Match", "PATCH", TASK, 400, "invalid-request").json("{\"title\":\"y\"}")
					.header("If-Match", "\"99999999999999999999\""),
				bad("patch unknown task", "PATCH", TASKS + "/999999999", 404, "not-found").json("{\"title\":\"y\"}"),
				bad("patch non-numeric id", "PATCH", TASKS + "/abc", 400, "malformed-request")
					.json("{\"title\":\"y\"}"),
				bad("patch id beyond long", "PATCH", TASKS + "/99999999999999999999", 400, "malformed-request")
					.json("{\"title\":\"y\"}"),
				bad("patch with text/plain", "PATCH", TASK, 415, "unsupported-media-type").body("text/plain",
						"{\"title\":\"y\"}"),
				bad("patch of another user's task", "PATCH", TASK, 404, "not-found").json("{\"title\":\"y\"}")
					.user("someone-else"));
	}

	static List<Case> others() {
		String big = "{\"title\":\"x\",\"description\":\"" + "d".repeat(70 * 1024) + "\"}";
		return List.of(bad("body over 64 KiB", "POST", TASKS, 413, "payload-too-large").json(big),
				bad("text/plain body", "POST", TASKS, 415, "unsupported-media-type").body("text/plain",
						"{\"title\":\"x\"}"),
				bad("XML body", "POST", TASKS, 415, "unsupported-media-type").body("application/xml", "<task/>"),
				bad("form body", "POST", TASKS, 415, "unsupported-media-type").body("application/x-www-form-urlencoded",
						"title=x"),
				bad("missing identity", "POST", TASKS, 401, "unauthenticated").json("{\"title\":\"x\"}")
					.as(As.ANONYMOUS),
				// a token whose user claim is not a user id is not a valid token
				// (TokenCorpusIntegrationTests)
				bad("malformed identity", "POST", TASKS, 401, "unauthenticated").json("{\"title\":\"x\"}")
					.user("bad user!"),
				bad("identity too long", "POST", TASKS, 401, "unauthenticated").json("{\"title\":\"x\"}")
					.user("u".repeat(65)),
				bad("unknown client source", "POST", TASKS, 400, "invalid-request").json("{\"title\":\"x\"}")
					.header("X-Client-Source", "fax"),
				bad("device id with a space", "POST", TASKS, 400, "invalid-request").json("{\"title\":\"x\"}")
					.header("X-Device-Id", "my phone"),
				bad("device id too long", "POST", TASKS, 400, "invalid-request").json("{\"title\":\"x\"}")
					.header("X-Device-Id", "d".repeat(129)),
				bad("complete unknown task", "POST", TASKS + "/999999999/complete", 404, "not-found"),
				bad("complete with stale If-Match", "POST", TASK + "/complete", 412, "version-mismatch")
					.header("If-Match", "\"7\""),
				bad("complete with malformed If-Match", "POST", TASK + "/complete", 400, "invalid-request")
					.header("If-Match", "W/\"x\""),
				bad("complete with GET", "GET", TASK + "/complete", 405, "method-not-allowed"),
				bad("delete unknown task", "DELETE", TASKS + "/999999999", 404, "not-found"),
				bad("delete with stale If-Match", "DELETE", TASK, 412, "version-mismatch").header("If-Match", "\"5\""),
				bad("delete another user's task", "DELETE", TASK, 404, "not-found").user("someone-else"),
				bad("delete the collection", "DELETE", TASKS, 405, "method-not-allowed"),
				bad("get unknown task", "GET", TASKS + "/999999999", 404, "not-found"),
				bad("get negative id", "GET", TASKS + "/-1", 404, "not-found"),
				bad("get another user's task", "GET", TASK, 404, "not-found").user("someone-else"),
				bad("list with unknown status", "GET", TASKS + "?status=DONE", 400, "invalid-request"),
				bad("list with negative page", "GET", TASKS + "?page=-1", 400, "invalid-request"),
				bad("list with huge page", "GET", TASKS + "?page=99999999999", 400, "invalid-request"),
				bad("list with huge size", "GET", TASKS + "?size=1000", 400, "invalid-request"),
				bad("list with zero size", "GET", TASKS + "?size=0", 400, "invalid-request"),
				bad("list with non-numeric size", "GET", TASKS + "?size=ten", 400, "invalid-request"),
				bad("list with NUL status", "GET", TASKS + "?status=%00", 400, "invalid-request"),
				bad("PUT is not supported", "PUT", TASK, 405, "method-not-allowed").json("{\"title\":\"y\"}"),
				bad("unknown path under tasks", "GET", TASK + "/history", 404, "not-found"));
	}

}
