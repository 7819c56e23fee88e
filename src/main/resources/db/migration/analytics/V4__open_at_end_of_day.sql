-- Open tasks at the end of any day, from events only: each day keeps how many tasks were
-- opened (created, reopened) minus how many were closed (completed, deleted while open);
-- the open tasks at the end of a day are the sum up to it. This replaces the per-task
-- state table, whose only use was counting open tasks now (the inbox orders each task's
-- events). Projections written before this version are rebuilt with
-- POST /api/v1/analytics/rebuild.
ALTER TABLE daily_counts ADD COLUMN open_delta bigint NOT NULL DEFAULT 0;
DROP TABLE task_state;
