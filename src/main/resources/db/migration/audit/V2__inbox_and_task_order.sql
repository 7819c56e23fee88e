-- Like every subscriber, audit applies a task's events in sequence order: events of one
-- task arrive on different topics, which Kafka does not order among themselves.
CREATE TABLE processed_events (
    event_id uuid PRIMARY KEY
);

CREATE TABLE task_sequences (
    task_id       bigint PRIMARY KEY,
    last_sequence bigint NOT NULL
);
