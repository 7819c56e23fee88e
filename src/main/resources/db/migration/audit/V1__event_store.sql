-- The audit role's append-only event store. Its unique event_id is also the audit role's
-- inbox: a duplicate delivery inserts nothing.

CREATE TABLE events (
    position    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id    uuid        NOT NULL UNIQUE,
    event_type  varchar(16) NOT NULL,
    task_id     bigint      NOT NULL,
    user_id     varchar(64) NOT NULL,
    sequence    bigint      NOT NULL,
    occurred_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    -- The envelope as it arrived (json, not jsonb: kept byte for byte, field order included).
    envelope    json        NOT NULL
);

-- The polling API always filters by user and pages by position.
CREATE INDEX events_user_position ON events (user_id, position);
CREATE INDEX events_user_task_position ON events (user_id, task_id, position);

-- Dead letters: events some subscriber could not process, one row per event.
CREATE TABLE dead_letters (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id  varchar(256) NOT NULL UNIQUE,
    topic       varchar(64),
    reason      varchar(2000) NOT NULL,
    payload     text          NOT NULL,
    first_seen  timestamptz   NOT NULL DEFAULT now(),
    last_seen   timestamptz   NOT NULL DEFAULT now(),
    times_seen  integer       NOT NULL DEFAULT 1
);
