-- A dead letter is open until an operator redrives it; if it fails again it comes back open.
ALTER TABLE dead_letters ADD COLUMN status varchar(16) NOT NULL DEFAULT 'open'
    CHECK (status IN ('open', 'redriven'));
ALTER TABLE dead_letters ADD COLUMN redriven_at timestamptz;
ALTER TABLE dead_letters ADD COLUMN redrive_count integer NOT NULL DEFAULT 0;
CREATE INDEX dead_letters_status_id ON dead_letters (status, id);
