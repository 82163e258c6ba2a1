-- Up Migration
-- Some providers' join credentials cannot carry the attendee id and data (Zoom's user_key holds 36
-- characters): the service issues a key standing for both, and resolves it when callbacks name it.
-- One key per meeting, attendee and data, so repeated token requests reuse it.
CREATE TABLE join_keys (
  join_key   uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  meeting_id bigint      NOT NULL REFERENCES video_session_details (id) ON DELETE CASCADE,
  attendee   text        NOT NULL,
  data       text,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- md5 keeps the key short whatever the data's length; the data itself is compared on lookup.
CREATE UNIQUE INDEX join_keys_identity_idx ON join_keys (meeting_id, attendee, (data IS NULL), md5(COALESCE(data, '')));

-- A recording's files, where the provider makes several (type, extension, size; never their URLs,
-- which carry access tokens and are fetched fresh when a download is asked for).
ALTER TABLE archives ADD COLUMN files jsonb;

-- Zoom's recording callbacks may name a run of a session rather than the session: the meeting is then
-- found by the session name it created (Zoom compares names without case).
CREATE INDEX video_session_details_session_name_idx ON video_session_details (provider, lower(provider_session_name))
  WHERE provider_session_name IS NOT NULL;

-- Down Migration
DROP INDEX video_session_details_session_name_idx;
ALTER TABLE archives DROP COLUMN files;
DROP TABLE join_keys;
