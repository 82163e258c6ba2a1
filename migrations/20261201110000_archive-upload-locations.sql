-- Up Migration
-- Each archive records where it was uploaded, so downloads and deletes reach that place after the
-- storage target moves. The credentials stay with the target version that was current then: a
-- new target supersedes the old row instead of overwriting it, and a superseded row is deleted
-- once no archive refers to it (StorageTargetRepository.pruneSuperseded).
ALTER TABLE storage_targets DROP CONSTRAINT storage_targets_scope_key;
ALTER TABLE storage_targets ADD COLUMN superseded_at timestamptz;
CREATE UNIQUE INDEX storage_targets_current_key ON storage_targets (scope) WHERE superseded_at IS NULL;

-- upload_target stays the kind (s3 | azure) and storage_key the object key. storage_target_id is
-- cleared once the stored copy is deleted, which frees the superseded credentials.
ALTER TABLE archives
  ADD COLUMN storage_target_id bigint REFERENCES storage_targets (id),
  ADD COLUMN storage_container text,
  ADD COLUMN storage_endpoint text,
  ADD COLUMN storage_region text,
  ADD COLUMN storage_account text;
CREATE INDEX archives_storage_target_idx ON archives (storage_target_id) WHERE storage_target_id IS NOT NULL;

-- Archives uploaded before this migration: the target configured now is what downloads used.
UPDATE archives a
   SET storage_target_id = t.id,
       storage_container = COALESCE(t.settings ->> 'bucket', t.settings ->> 'container'),
       storage_endpoint = t.settings ->> 'endpoint',
       storage_region = t.settings ->> 'region',
       storage_account = t.settings ->> 'accountName'
  FROM storage_targets t
 WHERE t.scope = 'default' AND a.upload_target = t.type AND a.storage_key IS NOT NULL AND NOT a.storage_deleted;

-- Down Migration
DROP INDEX archives_storage_target_idx;
ALTER TABLE archives
  DROP COLUMN storage_target_id,
  DROP COLUMN storage_container,
  DROP COLUMN storage_endpoint,
  DROP COLUMN storage_region,
  DROP COLUMN storage_account;
-- One row per scope again: superseded credentials go (archives uploaded under them keep only their kind and key).
DELETE FROM storage_targets WHERE superseded_at IS NOT NULL;
DROP INDEX storage_targets_current_key;
ALTER TABLE storage_targets DROP COLUMN superseded_at;
ALTER TABLE storage_targets ADD CONSTRAINT storage_targets_scope_key UNIQUE (scope);
