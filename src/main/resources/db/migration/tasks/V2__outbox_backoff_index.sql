-- The relay asks after every pass when the next row that waits out a backoff is due
-- (min(next_attempt_at) over the unpublished rows). Without an index that read the whole
-- backlog each time: 100 ms per call during a 20,000-event drain (pg_stat_statements).
-- Only rows that failed a publish are in it. Building it blocks task writes for as long as
-- it takes on a large outbox; to avoid that, create it by hand first with
-- CREATE INDEX CONCURRENTLY under the same name, and this migration does nothing.
-- (CONCURRENTLY here would wait for Flyway's own transaction and never finish.)
CREATE INDEX IF NOT EXISTS outbox_backing_off ON outbox (next_attempt_at)
    WHERE published_at IS NULL AND next_attempt_at IS NOT NULL;
