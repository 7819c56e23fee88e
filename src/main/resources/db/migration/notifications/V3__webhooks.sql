-- User webhooks and their delivery log.
CREATE TABLE webhooks (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    varchar(64)   NOT NULL,
    url        varchar(2048) NOT NULL,
    events     text[]        NOT NULL,
    secret     varchar(128)  NOT NULL,
    created_at timestamptz   NOT NULL DEFAULT now()
);
CREATE INDEX webhooks_user ON webhooks (user_id);

-- One row per event and webhook: written with the event's inbox record, then delivered
-- (and retried) by the delivery worker, so a slow receiver never slows consumption.
CREATE TABLE webhook_deliveries (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    webhook_id       bigint      NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id         uuid        NOT NULL,
    payload          text        NOT NULL,
    status           varchar(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_status_code integer,
    last_error       varchar(1000),
    created_at       timestamptz NOT NULL DEFAULT now(),
    delivered_at     timestamptz,
    UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id DESC);
