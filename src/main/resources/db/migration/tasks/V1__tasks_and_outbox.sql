-- The tasks role's schema: its tasks, and the outbox its events leave through.

CREATE TABLE tasks (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      varchar(64)   NOT NULL,
    title        varchar(200)  NOT NULL,
    description  varchar(10000),
    status       varchar(16)   NOT NULL CHECK (status IN ('OPEN', 'COMPLETED')),
    priority     varchar(16)   NOT NULL CHECK (priority IN ('LOW', 'MEDIUM', 'HIGH')),
    due_date     timestamptz,
    tags         text[]        NOT NULL DEFAULT '{}',
    created_at   timestamptz   NOT NULL,
    updated_at   timestamptz   NOT NULL,
    completed_at timestamptz,
    version      bigint        NOT NULL
);

-- The list endpoint: one user's tasks, newest first, optionally by status.
CREATE INDEX tasks_user_created ON tasks (user_id, created_at DESC, id DESC);
CREATE INDEX tasks_user_status_created ON tasks (user_id, status, created_at DESC, id DESC);

-- One row per event, written in the transaction of the change it describes.
CREATE TABLE outbox (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id        uuid        NOT NULL UNIQUE,
    topic           varchar(64) NOT NULL,
    task_id         bigint      NOT NULL,
    payload         text        NOT NULL,
    traceparent     varchar(64),
    created_at      timestamptz NOT NULL DEFAULT now(),
    published_at    timestamptz,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    last_error      varchar(1000)
);

-- The relay reads only unpublished rows: the first per task, in order.
CREATE INDEX outbox_unpublished ON outbox (task_id, id) WHERE published_at IS NULL;
CREATE INDEX outbox_unpublished_order ON outbox (id) WHERE published_at IS NULL;
