-- The notifications role's schema.

CREATE TABLE processed_events (
    event_id uuid PRIMARY KEY
);

CREATE TABLE notifications (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    varchar(64)  NOT NULL,
    event_id   uuid         NOT NULL,
    task_id    bigint       NOT NULL,
    kind       varchar(32)  NOT NULL,
    message    varchar(400) NOT NULL,
    created_at timestamptz  NOT NULL DEFAULT now(),
    read_at    timestamptz
);
CREATE INDEX notifications_user_id ON notifications (user_id, id DESC);
