-- Events that arrived before their task's previous event (its events travel on four
-- topics, which Kafka does not order among themselves). Each waits here, not in the
-- sidecar's retry loop, and is applied in the same transaction as its predecessor, or
-- without it once it has waited the order wait (see events.Inbox).
CREATE TABLE parked_events (
    event_id  uuid        PRIMARY KEY,
    task_id   bigint      NOT NULL,
    sequence  bigint      NOT NULL,
    parked_at timestamptz NOT NULL,
    event     json        NOT NULL
);

CREATE INDEX parked_events_task_sequence ON parked_events (task_id, sequence);
CREATE INDEX parked_events_parked_at ON parked_events (parked_at);
