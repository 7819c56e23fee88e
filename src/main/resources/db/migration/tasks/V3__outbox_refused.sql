-- Whether a row's last failed publish was a refusal by the setup (Dapr's 403/404) rather
-- than a transient failure. When publishing recovers after an outage, the relay makes the
-- rows that waited out a transient failure due at once, but not the refused ones: those
-- keep their slow pace toward parking. (A constant default adds the column without
-- rewriting the table.)
ALTER TABLE outbox ADD COLUMN refused boolean NOT NULL DEFAULT false;
