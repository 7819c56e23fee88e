"""A Taskstream event subscriber behind its own Dapr sidecar, with the Python standard
library and `jsonschema`.

It follows the consumer's contract (docs/events.md):
- subscribes programmatically: the sidecar reads GET /dapr/subscribe (the four task
  topics, each with the dead-letter topic) and POSTs each CloudEvent to /events/<topic>;
- checks the `dapr-api-token` header when APP_API_TOKEN is set;
- validates each event's data against the envelope's JSON Schema, formats included;
- de-duplicates on the event id and applies each task's events in `sequence` order,
  holding an early event until its predecessor is in (never skipping one on a timer);
- answers the Dapr contract: SUCCESS (handled, a duplicate, or held), RETRY (the effect
  failed; the sidecar retries it), DROP (poison; the sidecar sends it to task.deadletter).

State is kept in memory to keep the example short. A real consumer records the processed
event ids, each task's next sequence and the held events in its database, in the same
transaction as its effect, so a restart neither repeats nor loses an effect.

Run: APP_PORT=8000 python subscriber.py   (see README.md for its sidecar)
"""

import hmac
import json
import os
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from jsonschema import Draft202012Validator

TOPICS = ("task.created", "task.updated", "task.deleted", "task.completed")
DEAD_LETTER_TOPIC = "task.deadletter"
DEFAULT_SCHEMA = Path(__file__).resolve().parents[2] / "src/main/resources/schemas/task-event.v1.schema.json"

SUCCESS, RETRY, DROP = "SUCCESS", "RETRY", "DROP"


def load_validator(location=None):
    """The envelope's schema from a file or an install's URL (/schemas/task-event.v1.schema.json),
    with format assertions on: jsonschema only checks `format` when given a format checker."""
    location = location or os.environ.get("TASK_EVENT_SCHEMA") or str(DEFAULT_SCHEMA)
    if location.startswith(("http://", "https://")):
        with urllib.request.urlopen(location, timeout=10) as response:
            schema = json.load(response)
    else:
        schema = json.loads(Path(location).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


class TaskEvents:
    """Exactly-once, in-order application of task events to an effect."""

    def __init__(self, validator, effect=None):
        self._validator = validator
        self._effect = effect or (lambda event: None)
        self._lock = threading.Lock()
        self._seen = set()  # event ids applied or held
        self._next = {}  # task id -> the sequence to apply next
        self._held = {}  # task id -> {sequence: event}
        self.applied = []  # the envelopes applied, in order
        self.dropped = 0

    def handle(self, body: bytes) -> str:
        try:
            cloud_event = json.loads(body)
        except ValueError:
            return self._drop()
        data = cloud_event.get("data") if isinstance(cloud_event, dict) else None
        if not isinstance(data, dict) or any(True for _ in self._validator.iter_errors(data)):
            return self._drop()
        with self._lock:
            task, sequence = data["taskId"], data["sequence"]
            try:
                if data["eventId"] not in self._seen and sequence >= self._next.get(task, 1):
                    if sequence > self._next.get(task, 1):
                        self._held.setdefault(task, {})[sequence] = data  # wait for its predecessor
                        self._seen.add(data["eventId"])
                    else:
                        self._apply(data)
                # else: a duplicate, or the task already moved past this sequence: nothing to do
                held = self._held.get(task, {})
                while (following := self._next.get(task, 1)) in held:
                    self._apply(held[following])  # removed only once applied: a failure keeps it
                    del held[following]
            except Exception:  # the effect failed: the sidecar retries; nothing was skipped
                return RETRY
            return SUCCESS

    def _apply(self, event):
        self._effect(event)
        self.applied.append(event)
        self._seen.add(event["eventId"])
        self._next[event["taskId"]] = event["sequence"] + 1

    def _drop(self):
        self.dropped += 1
        return DROP

    def snapshot(self):
        with self._lock:
            return {
                "applied": [
                    {"eventId": e["eventId"], "eventType": e["eventType"], "taskId": e["taskId"],
                     "sequence": e["sequence"]} for e in self.applied],
                "held": sum(len(events) for events in self._held.values()),
                "dropped": self.dropped,
            }


def subscriptions(pubsub):
    return [{"pubsubname": pubsub, "topic": topic, "routes": {"default": f"/events/{topic}"},
             "deadLetterTopic": DEAD_LETTER_TOPIC} for topic in TOPICS]


def make_handler(events, pubsub="taskstream-pubsub", app_api_token=None):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/healthz":
                return self._json(200, {"status": "UP"})
            if not self._authorized():
                return
            if self.path == "/dapr/subscribe":
                return self._json(200, subscriptions(pubsub))
            if self.path == "/received":
                return self._json(200, events.snapshot())
            self._json(404, {"error": "not found"})

        def do_POST(self):
            if not self._authorized():
                return
            topic = self.path[len("/events/"):] if self.path.startswith("/events/") else None
            if topic not in TOPICS:
                return self._json(404, {"error": "not found"})  # Dapr drops what has no route
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self._json(200, {"status": events.handle(body)})

        def _authorized(self):
            # daprd sends APP_API_TOKEN on every call when it is set; anyone else lacks it
            if not app_api_token:
                return True
            presented = self.headers.get("dapr-api-token") or ""
            if hmac.compare_digest(presented.encode(), app_api_token.encode()):
                return True
            self._json(401, {"error": "dapr-api-token missing or wrong"})
            return False

        def _json(self, status, body):
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format, *args):  # one line per call on stderr is enough
            if os.environ.get("LOG_REQUESTS"):
                super().log_message(format, *args)

    return Handler


def main():
    events = TaskEvents(load_validator(), effect=lambda e: print(
        f"applied {e['eventType']} of task {e['taskId']} (sequence {e['sequence']})", flush=True))
    port = int(os.environ.get("APP_PORT", "8000"))
    handler = make_handler(events, os.environ.get("PUBSUB_NAME", "taskstream-pubsub"),
                           os.environ.get("APP_API_TOKEN") or None)
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    print(f"python-subscriber listening on 127.0.0.1:{server.server_port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
