"""Unit tests of the example subscriber: the contract of docs/events.md, one rule a test."""

import json
import threading
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from subscriber import DROP, RETRY, SUCCESS, TOPICS, TaskEvents, load_validator, make_handler
from http.server import ThreadingHTTPServer

VALIDATOR = load_validator()


def cloud_event(task_id=7, sequence=1, event_type="created", **envelope_changes):
    event_id = str(uuid.uuid4())
    task = {"id": task_id, "title": "Write the example", "status": "OPEN", "priority": "HIGH", "tags": ["docs"],
            "createdAt": "2026-11-30T10:00:00Z", "updatedAt": "2026-11-30T10:00:00Z", "version": sequence}
    data = {"eventId": event_id, "eventType": event_type, "schemaVersion": "1.0", "taskId": task_id,
            "userId": "alice", "timestamp": "2026-11-30T10:00:00.123456Z", "sequence": sequence,
            "data": {"task": task}, "metadata": {"source": "web", "version": sequence}}
    data.update(envelope_changes)
    return {"specversion": "1.0", "id": event_id, "source": "/taskstream/tasks",
            "type": f"io.taskstream.task.{event_type}.v1", "subject": str(task_id),
            "datacontenttype": "application/json",
            "dataschema": "https://taskstream.io/schemas/task-event.v1.schema.json", "data": data}


def body(event):
    return json.dumps(event).encode()


def applied(events):
    return [(e["taskId"], e["sequence"]) for e in events.applied]


def test_a_valid_event_is_applied():
    events = TaskEvents(VALIDATOR)
    assert events.handle(body(cloud_event())) == SUCCESS
    assert applied(events) == [(7, 1)]


def test_a_duplicate_is_acknowledged_and_applied_once():
    events = TaskEvents(VALIDATOR)
    event = body(cloud_event())
    assert events.handle(event) == SUCCESS
    assert events.handle(event) == SUCCESS
    assert applied(events) == [(7, 1)]


def test_an_early_event_is_held_until_its_predecessor_is_in():
    events = TaskEvents(VALIDATOR)
    assert events.handle(body(cloud_event(sequence=3, event_type="completed"))) == SUCCESS
    assert events.handle(body(cloud_event(sequence=2, event_type="updated"))) == SUCCESS
    assert applied(events) == []
    assert events.snapshot()["held"] == 2
    assert events.handle(body(cloud_event(sequence=1))) == SUCCESS
    assert applied(events) == [(7, 1), (7, 2), (7, 3)]


def test_a_gap_is_never_skipped():
    events = TaskEvents(VALIDATOR)
    events.handle(body(cloud_event(sequence=1)))
    events.handle(body(cloud_event(sequence=3, event_type="completed")))
    events.handle(body(cloud_event(task_id=8, sequence=1)))
    assert applied(events) == [(7, 1), (8, 1)]
    assert events.snapshot()["held"] == 1


@pytest.mark.parametrize("broken", [
    b"{not json",
    b'{"id": "1"}',
    body(cloud_event(eventId="not-a-uuid")),
    body(cloud_event(timestamp="yesterday")),
    body(cloud_event(eventType="archived")),
    body(cloud_event(taskId="7")),
])
def test_poison_is_dropped(broken):
    events = TaskEvents(VALIDATOR)
    assert events.handle(broken) == DROP
    assert applied(events) == []


def test_formats_are_checked():
    event = cloud_event()
    event["data"]["data"]["task"]["createdAt"] = "2026-13-45T99:00:00Z"
    assert TaskEvents(VALIDATOR).handle(body(event)) == DROP


def test_unknown_fields_and_a_new_source_are_accepted():
    event = cloud_event()
    event["data"]["tenantId"] = "acme"
    event["data"]["data"]["task"]["estimateMinutes"] = 30
    event["data"]["metadata"]["source"] = "mobile"
    event["partitionhint"] = "7"
    events = TaskEvents(VALIDATOR)
    assert events.handle(body(event)) == SUCCESS
    assert applied(events) == [(7, 1)]


def test_a_failed_effect_is_retried_and_then_applied():
    failures = [RuntimeError("database down")]

    def effect(event):
        if failures:
            raise failures.pop()

    events = TaskEvents(VALIDATOR, effect)
    event = body(cloud_event())
    assert events.handle(event) == RETRY
    assert applied(events) == []
    assert events.handle(event) == SUCCESS
    assert applied(events) == [(7, 1)]


def test_a_held_event_whose_effect_fails_stays_held_and_is_applied_on_redelivery():
    failing = {2}

    def effect(event):
        if event["sequence"] in failing:
            failing.clear()
            raise RuntimeError("transient")

    events = TaskEvents(VALIDATOR, effect)
    second = body(cloud_event(sequence=2, event_type="updated"))
    assert events.handle(second) == SUCCESS
    assert events.handle(body(cloud_event(sequence=1))) == RETRY
    assert applied(events) == [(7, 1)]
    assert events.handle(second) == SUCCESS
    assert applied(events) == [(7, 1), (7, 2)]


@pytest.fixture
def server():
    servers = []

    def start(token=None):
        events = TaskEvents(VALIDATOR)
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(events, "taskstream-pubsub", token))
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        return f"http://127.0.0.1:{httpd.server_port}"

    yield start
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


def call(url, data=None, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {}, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_the_sidecar_learns_four_topics_each_with_the_dead_letter_topic(server):
    status, subscriptions = call(server() + "/dapr/subscribe")
    assert status == 200
    assert [s["topic"] for s in subscriptions] == list(TOPICS)
    assert all(s["deadLetterTopic"] == "task.deadletter" for s in subscriptions)
    assert all(s["pubsubname"] == "taskstream-pubsub" for s in subscriptions)
    assert [s["routes"]["default"] for s in subscriptions] == [f"/events/{t}" for t in TOPICS]


def test_a_delivery_is_answered_with_the_dapr_status_and_shows_in_received(server):
    base = server()
    headers = {"Content-Type": "application/cloudevents+json"}
    assert call(base + "/events/task.created", body(cloud_event()), headers) == (200, {"status": "SUCCESS"})
    assert call(base + "/events/task.created", b"{not json", headers) == (200, {"status": "DROP"})
    status, received = call(base + "/received")
    assert status == 200
    assert [(e["taskId"], e["sequence"]) for e in received["applied"]] == [(7, 1)]
    assert received["dropped"] == 1


def test_an_unknown_route_is_404_so_dapr_drops_it(server):
    assert call(server() + "/events/task.archived", body(cloud_event()))[0] == 404


def test_with_an_app_token_only_the_sidecar_gets_in(server):
    base = server(token="s3cret")
    assert call(base + "/dapr/subscribe")[0] == 401
    assert call(base + "/events/task.created", body(cloud_event()), {"dapr-api-token": "wrong"})[0] == 401
    assert call(base + "/dapr/subscribe", headers={"dapr-api-token": "s3cret"})[0] == 200
    assert call(base + "/events/task.created", body(cloud_event()),
                {"dapr-api-token": "s3cret"}) == (200, {"status": "SUCCESS"})


def test_events_as_the_producer_writes_them_are_applied_in_order_whatever_the_arrival():
    # ../testdata/task-events.json is generated from the Java producer (ProducerSamplesTests)
    samples = json.loads((Path(__file__).parent.parent / "testdata" / "task-events.json").read_text())
    assert [s["type"] for s in samples] == [f"io.taskstream.task.{a}.v1"
                                            for a in ("created", "updated", "completed", "deleted")]
    events = TaskEvents(VALIDATOR)
    for sample in reversed(samples + samples):
        assert events.handle(body(sample)) == SUCCESS
    assert applied(events) == [(4201, 1), (4201, 2), (4201, 3), (4201, 4)]
    assert events.snapshot()["dropped"] == 0
