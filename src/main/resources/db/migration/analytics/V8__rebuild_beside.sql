-- A rebuild fills these beside the served projection and switches them in only once the
-- whole history is in (analytics.AnalyticsRebuild): a failed or interrupted rebuild
-- leaves the served numbers as they were.
CREATE TABLE daily_counts_next (LIKE daily_counts INCLUDING ALL);
CREATE TABLE hourly_counts_next (LIKE hourly_counts INCLUDING ALL);
CREATE TABLE completion_durations_next (LIKE completion_durations INCLUDING ALL);
CREATE TABLE processed_events_next (LIKE processed_events INCLUDING ALL);
CREATE TABLE task_sequences_next (LIKE task_sequences INCLUDING ALL);

-- One rebuild at a time, across instances: a second one finds the running row and gets
-- 409. A row left running by a crashed instance stops counting once it is stale.
CREATE TABLE rebuilds (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    outcome     varchar(16),
    replayed    bigint
);
CREATE UNIQUE INDEX rebuilds_one_running ON rebuilds ((true)) WHERE finished_at IS NULL;
