-- Up Migration
-- A lobby in front of a meeting's join tokens, and per-meeting lifecycle limits. Everything lives here, so any
-- replica answers any lobby poll and a limit outlives the process that set it.

ALTER TABLE video_session_details ADD COLUMN lobby boolean NOT NULL DEFAULT false;
ALTER TABLE video_session_details ADD COLUMN max_duration_minutes integer CHECK (max_duration_minutes > 0);
ALTER TABLE video_session_details ADD COLUMN end_when_empty_minutes integer CHECK (end_when_empty_minutes > 0);

-- A token request waiting in a meeting's lobby. `request` keeps what the token request asked for (role,
-- expireTime, data): the token is signed from it when the requester polls after being admitted. Expiry is not a
-- status: a request still 'waiting' LOBBY_WAIT_SECONDS after `requested_at` reads as expired, with no job to run.
CREATE TABLE lobby_requests (
  id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  meeting_id   bigint      NOT NULL REFERENCES video_session_details (id) ON DELETE CASCADE,
  attendee     text        NOT NULL,
  request      jsonb       NOT NULL DEFAULT '{}',
  status       text        NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'admitted', 'denied', 'delivered')),
  requested_at timestamptz NOT NULL DEFAULT now(),
  decided_at   timestamptz,
  decided_by   text,
  delivered_at timestamptz
);
CREATE INDEX lobby_requests_waiting_idx ON lobby_requests (meeting_id, requested_at, id) WHERE status = 'waiting';

-- How many minutes an open meeting that ends when empty waits now that nobody is present; NULL when it is not
-- such a meeting, or someone is still there. Checks run one at a time per meeting: two last attendees leaving at
-- once would otherwise each see the other still present, and neither would report the meeting empty.
CREATE FUNCTION meeting_empty_grace_minutes(p_meeting_id bigint) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  v_minutes integer;
BEGIN
  SELECT end_when_empty_minutes INTO v_minutes FROM video_session_details
   WHERE id = p_meeting_id AND end_when_empty_minutes IS NOT NULL AND end_time IS NULL;
  IF v_minutes IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('meeting-empty:' || p_meeting_id, 0));
  IF EXISTS (SELECT 1 FROM session_attendees WHERE session_detail_id = p_meeting_id AND is_present) THEN
    RETURN NULL;
  END IF;
  RETURN v_minutes;
END
$$;

-- As before, plus 'emptied:<minutes>' instead of 'left' when that departure left a meeting that ends when empty
-- with nobody: the caller schedules the check. Other departures cost one primary-key read more.
CREATE OR REPLACE FUNCTION record_connection_event(
  p_dedupe_key text, p_event_type text, p_session_id text, p_payload jsonb,
  p_meeting_id bigint, p_attendee text, p_connection_id text, p_connected boolean,
  p_at timestamptz, p_reason text, p_ext_metadata jsonb, p_actor text)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  v_transition text;
  v_minutes integer;
BEGIN
  INSERT INTO webhook_events (dedupe_key, event_type, session_id, outcome, payload)
  VALUES (p_dedupe_key, p_event_type, p_session_id, 'processed', p_payload)
  ON CONFLICT (dedupe_key) DO NOTHING;
  IF NOT FOUND THEN
    RETURN 'duplicate';
  END IF;
  v_transition := apply_connection_fact(p_meeting_id, p_attendee, p_connection_id, p_connected, p_at, p_reason, p_ext_metadata, p_actor);
  IF v_transition = 'left' THEN
    v_minutes := meeting_empty_grace_minutes(p_meeting_id);
    IF v_minutes IS NOT NULL THEN
      RETURN 'emptied:' || v_minutes;
    END IF;
  END IF;
  RETURN v_transition;
END
$$;

-- Down Migration
CREATE OR REPLACE FUNCTION record_connection_event(
  p_dedupe_key text, p_event_type text, p_session_id text, p_payload jsonb,
  p_meeting_id bigint, p_attendee text, p_connection_id text, p_connected boolean,
  p_at timestamptz, p_reason text, p_ext_metadata jsonb, p_actor text)
RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO webhook_events (dedupe_key, event_type, session_id, outcome, payload)
  VALUES (p_dedupe_key, p_event_type, p_session_id, 'processed', p_payload)
  ON CONFLICT (dedupe_key) DO NOTHING;
  IF NOT FOUND THEN
    RETURN 'duplicate';
  END IF;
  RETURN apply_connection_fact(p_meeting_id, p_attendee, p_connection_id, p_connected, p_at, p_reason, p_ext_metadata, p_actor);
END
$$;
DROP FUNCTION meeting_empty_grace_minutes(bigint);
DROP TABLE lobby_requests;
ALTER TABLE video_session_details DROP COLUMN end_when_empty_minutes;
ALTER TABLE video_session_details DROP COLUMN max_duration_minutes;
ALTER TABLE video_session_details DROP COLUMN lobby;
