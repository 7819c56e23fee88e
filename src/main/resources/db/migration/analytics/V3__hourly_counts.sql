-- Creations and completions per user and UTC hour, for the rates time series.
CREATE TABLE hourly_counts (
    user_id   varchar(64) NOT NULL,
    hour      timestamptz NOT NULL,
    created   bigint      NOT NULL DEFAULT 0,
    completed bigint      NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, hour)
);
