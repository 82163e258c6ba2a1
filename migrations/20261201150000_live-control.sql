-- Up Migration
-- Live meeting control (issue 16, part A): bans, the streams moderation mutes, and presence checks.

-- An attendee removed with ?ban=true: their join tokens for this meeting are refused from then on.
CREATE TABLE attendee_bans (
  session_detail_id  bigint      NOT NULL REFERENCES video_session_details (id) ON DELETE CASCADE,
  attendee           text        NOT NULL,
  banned_by          text,
  banned_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (session_detail_id, attendee)
);

-- Media a connection published (Vonage streams): Vonage mutes streams and lists none by connection.
ALTER TABLE attendee_connections ADD COLUMN media_ids text[] NOT NULL DEFAULT '{}';

-- When the presence reconciliation last compared a live meeting with its provider, and whether the
-- one check after its end is done. Runs claim meetings through these columns, so replicas share them.
ALTER TABLE video_session_details ADD COLUMN presence_checked_at timestamptz;
ALTER TABLE video_session_details ADD COLUMN presence_final_checked boolean NOT NULL DEFAULT false;
CREATE INDEX video_session_details_live_idx ON video_session_details (presence_checked_at NULLS FIRST)
  WHERE started_at IS NOT NULL AND NOT presence_final_checked AND NOT deleted;

-- Down Migration
DROP INDEX video_session_details_live_idx;
ALTER TABLE video_session_details DROP COLUMN presence_final_checked;
ALTER TABLE video_session_details DROP COLUMN presence_checked_at;
ALTER TABLE attendee_connections DROP COLUMN media_ids;
DROP TABLE attendee_bans;
