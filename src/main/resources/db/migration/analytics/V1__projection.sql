-- The analytics role's projection, built from events only.

CREATE TABLE processed_events (
    event_id uuid PRIMARY KEY
);

-- The newest state seen per task; an event with a lower sequence does not change it.
CREATE TABLE task_state (
    task_id       bigint PRIMARY KEY,
    user_id       varchar(64) NOT NULL,
    last_sequence bigint      NOT NULL,
    status        varchar(16) NOT NULL,
    deleted       boolean     NOT NULL DEFAULT false
);
CREATE INDEX task_state_user_open ON task_state (user_id) WHERE status = 'OPEN' AND NOT deleted;

-- Counters per user and UTC day (of the event's timestamp). Each event counts once,
-- whatever order events arrive in.
CREATE TABLE daily_counts (
    user_id   varchar(64) NOT NULL,
    day       date        NOT NULL,
    created   bigint      NOT NULL DEFAULT 0,
    completed bigint      NOT NULL DEFAULT 0,
    deleted   bigint      NOT NULL DEFAULT 0,
    reopened  bigint      NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, day)
);

-- One row per completion, so percentiles are exact.
CREATE TABLE completion_durations (
    event_id uuid        PRIMARY KEY,
    user_id  varchar(64) NOT NULL,
    day      date        NOT NULL,
    seconds  double precision NOT NULL
);
CREATE INDEX completion_durations_user_day ON completion_durations (user_id, day);
