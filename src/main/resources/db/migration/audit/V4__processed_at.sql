-- When each event reached this role's handler (its inbox insert is the handler's first
-- statement), so the time from an event's commit to its handler can be measured from the
-- database (scripts/bench). clock_timestamp(), not now(): the statement's own time.
ALTER TABLE processed_events ADD COLUMN processed_at timestamptz NOT NULL DEFAULT clock_timestamp();
