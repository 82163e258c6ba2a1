-- Up Migration
-- A signed callback the database cannot store as sent (a NUL in a string, a number or a date out of
-- range) is recorded as outcome 'rejected' with the reason, and answered 2xx: a provider retries any
-- other answer, and this one would fail the same way every time.
ALTER TABLE webhook_events ADD COLUMN reason text;

-- Down Migration
ALTER TABLE webhook_events DROP COLUMN reason;
