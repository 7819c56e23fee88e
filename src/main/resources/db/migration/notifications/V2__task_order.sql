-- The sequence of the last event applied per task (see events.Inbox#processInOrder).
CREATE TABLE task_sequences (
    task_id       bigint PRIMARY KEY,
    last_sequence bigint NOT NULL
);
