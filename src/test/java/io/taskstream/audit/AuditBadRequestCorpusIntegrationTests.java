package io.taskstream.audit;

import java.util.List;
import java.util.stream.Stream;

import io.taskstream.BadRequestCorpus;
import io.taskstream.IntegrationTest;

/**
 * The audit role's bad requests: a user's event log and tail, and the operators' dead
 * letters, replay and history.
 */
@IntegrationTest
class AuditBadRequestCorpusIntegrationTests extends BadRequestCorpus {

	static final String EVENTS = "/api/v1/events";

	@Override
	protected int atLeast() {
		return 40;
	}

	@Override
	protected Stream<Case> cases() {
		return Stream.of(events(), deadLetters(), replays()).flatMap(List::stream);
	}

	private static Case replay(String name, String body) {
		return bad(name, "POST", "/api/v1/replay", 400, "invalid-request").as(As.OPERATOR).json(body);
	}

	static List<Case> events() {
		return List.of(bad("events with bad cursor", "GET", EVENTS + "?after=abc", 400, "invalid-request"),
				bad("events with negative cursor", "GET", EVENTS + "?after=-1", 400, "invalid-request"),
				bad("events with cursor beyond long", "GET", EVENTS + "?after=99999999999999999999", 400,
						"invalid-request"),
				bad("events with limit over 500", "GET", EVENTS + "?limit=501", 400, "invalid-request"),
				bad("events with zero limit", "GET", EVENTS + "?limit=0", 400, "invalid-request"),
				bad("events with unknown type", "GET", EVENTS + "?type=renamed", 400, "invalid-request"),
				bad("events with NUL type", "GET", EVENTS + "?type=%00", 400, "invalid-request"),
				bad("events with bad task id", "GET", EVENTS + "?taskId=x", 400, "invalid-request"),
				bad("events with zero task id", "GET", EVENTS + "?taskId=0", 400, "invalid-request"),
				bad("events of another user", "GET", EVENTS + "?userId=someone-else", 403, "forbidden"),
				bad("events without identity", "GET", EVENTS, 401, "unauthenticated").as(As.ANONYMOUS),
				// a token whose user claim is not a user id is not a valid token
				bad("events with malformed identity", "GET", EVENTS, 401, "unauthenticated").user("bad user!"),
				bad("event tail with bad Last-Event-ID", "GET", EVENTS + "/stream", 400, "invalid-request")
					.header("Last-Event-ID", "yesterday"),
				bad("event tail with unknown type", "GET", EVENTS + "/stream?type=x", 400, "invalid-request"),
				bad("event tail of another user", "GET", EVENTS + "/stream?userId=someone-else", 403, "forbidden"),
				bad("event tail without identity", "GET", EVENTS + "/stream", 401, "unauthenticated").as(As.ANONYMOUS),
				bad("POST to events", "POST", EVENTS, 405, "method-not-allowed").json("{}"));
	}

	static List<Case> deadLetters() {
		String letters = "/api/v1/deadletters";
		return List.of(bad("dead letters for a user", "GET", letters, 403, "forbidden"),
				bad("dead letters without identity", "GET", letters, 401, "unauthenticated").as(As.ANONYMOUS),
				bad("dead letters with unknown status", "GET", letters + "?status=closed", 400, "invalid-request")
					.as(As.OPERATOR),
				bad("dead letters with NUL status", "GET", letters + "?status=%00", 400, "invalid-request")
					.as(As.OPERATOR),
				bad("dead letters with a wrong token", "GET", letters, 401, "unauthenticated").as(As.ANONYMOUS)
					.header("Authorization", "Bearer not-the-token"),
				bad("redrive by a user", "POST", letters + "/1/redrive", 403, "forbidden"),
				bad("redrive an unknown dead letter", "POST", letters + "/999999999/redrive", 404, "not-found")
					.as(As.OPERATOR),
				bad("redrive a non-numeric id", "POST", letters + "/abc/redrive", 400, "malformed-request")
					.as(As.OPERATOR),
				bad("redrive with GET", "GET", letters + "/1/redrive", 405, "method-not-allowed").as(As.OPERATOR));
	}

	static List<Case> replays() {
		return List.of(
				bad("replay by a user", "POST", "/api/v1/replay", 403, "forbidden").json("{\"target\":\"analytics\"}"),
				bad("replay without identity", "POST", "/api/v1/replay", 401, "unauthenticated").as(As.ANONYMOUS)
					.json("{\"target\":\"analytics\"}"),
				replay("replay without a target", "{}"), replay("replay to tasks", "{\"target\":\"tasks\"}"),
				replay("replay with a numeric target", "{\"target\":1}"),
				replay("replay with an unknown field", "{\"target\":\"audit\",\"all\":true}"),
				replay("replay from yesterday", "{\"target\":\"audit\",\"from\":\"yesterday\"}"),
				replay("replay from year 300000", "{\"target\":\"audit\",\"from\":\"+300000-01-01T00:00:00Z\"}"),
				replay("replay to year -1", "{\"target\":\"audit\",\"to\":\"-0001-01-01T00:00:00Z\"}"),
				replay("replay backwards",
						"{\"target\":\"audit\",\"from\":\"2026-02-01T00:00:00Z\",\"to\":\"2026-01-01T00:00:00Z\"}"),
				replay("replay with a text task id", "{\"target\":\"audit\",\"taskId\":\"seven\"}"),
				replay("replay with a negative task id", "{\"target\":\"audit\",\"taskId\":-7}"),
				replay("replay with a malformed user", "{\"target\":\"audit\",\"userId\":\"a b\"}"),
				replay("replay with a NUL user", "{\"target\":\"audit\",\"userId\":\"a\\u0000\"}"),
				replay("replay with an array body", "[]"),
				bad("replay with text/plain", "POST", "/api/v1/replay", 415, "unsupported-media-type").as(As.OPERATOR)
					.body("text/plain", "{\"target\":\"audit\"}"),
				bad("history for a user", "GET", "/api/v1/replay/history", 403, "forbidden"),
				bad("history with a bad cursor", "GET", "/api/v1/replay/history?after=x", 400, "invalid-request")
					.as(As.OPERATOR),
				bad("history with a huge limit", "GET", "/api/v1/replay/history?limit=100000", 400, "invalid-request")
					.as(As.OPERATOR));
	}

}
