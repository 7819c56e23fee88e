-- An operator's decision to stop waiting for a task's missing events (see events.InboxGaps):
-- the parked events were applied without the missing sequences. A parked event is never
-- applied without its predecessor otherwise, so each row here is one place where this
-- role's view of the task may lack an event.
CREATE TABLE skipped_gaps (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id           bigint      NOT NULL,
    user_id           text,
    skipped_sequences bigint[]    NOT NULL,
    applied_sequences bigint[]    NOT NULL,
    skipped_by        text        NOT NULL,
    skipped_at        timestamptz NOT NULL
);

CREATE INDEX skipped_gaps_task ON skipped_gaps (task_id);
