-- Up Migration
-- Meetings know their provider; every state change writes an outbox event in its own transaction;
-- presence reports its transition (joined / left / none) to the caller. The connection functions run
-- under the pool's search_path, like the ones they replace: a SET clause would cost every callback.

-- Existing meetings were all created on Vonage. The default is dropped afterwards: a new meeting
-- always names its provider.
ALTER TABLE video_session_details ADD COLUMN provider text NOT NULL DEFAULT 'vonage';
ALTER TABLE video_session_details ALTER COLUMN provider DROP DEFAULT;
-- Zoom joins by session name and calls REST by session id; Vonage needs only the id.
ALTER TABLE video_session_details ADD COLUMN provider_session_name text;
-- When the meeting went live: its first attendee joined, or the provider said the session started.
-- (start_time keeps the API's meaning: when the first join token was issued.)
ALTER TABLE video_session_details ADD COLUMN started_at timestamptz;
ALTER TABLE video_session_details ADD COLUMN end_reason text;
-- Session ids are unique per provider, not across them.
ALTER TABLE video_session_details DROP CONSTRAINT video_session_details_session_id_key;
ALTER TABLE video_session_details ADD CONSTRAINT video_session_details_provider_session_key UNIQUE (provider, session_id);

-- The storage fallback is the provider's cloud copy, whichever provider; the API still says "vonage".
UPDATE storage_targets SET fallback = 'provider' WHERE fallback = 'vonage';

-- Domain events, written in the transaction of the change they describe; delivered later (events issue).
CREATE TABLE outbox_events (
  id           bigserial   PRIMARY KEY,
  event_id     uuid        NOT NULL DEFAULT gen_random_uuid(),
  type         text        NOT NULL,
  meeting_id   bigint      REFERENCES video_session_details (id) ON DELETE SET NULL,
  meeting_link text,
  -- A bearer user id, or `provider:<name>` for what a provider reported.
  actor        text,
  data         jsonb       NOT NULL DEFAULT '{}',
  occurred_at  timestamptz NOT NULL DEFAULT now(),
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT outbox_events_event_id_key UNIQUE (event_id)
);
CREATE INDEX outbox_events_recorded_idx ON outbox_events (recorded_at, id);
CREATE INDEX outbox_events_meeting_idx ON outbox_events (meeting_id, id) WHERE meeting_id IS NOT NULL;

-- The one shape of an outbox row; every writer (TypeScript or PL/pgSQL) goes through it.
CREATE FUNCTION record_outbox_event(p_type text, p_meeting_id bigint, p_actor text, p_data jsonb, p_occurred_at timestamptz)
RETURNS void LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  INSERT INTO outbox_events (type, meeting_id, meeting_link, actor, data, occurred_at)
  SELECT p_type, p_meeting_id, (SELECT m.meeting_link FROM video_session_details m WHERE m.id = p_meeting_id),
         p_actor, COALESCE(p_data, '{}'::jsonb), COALESCE(p_occurred_at, now());
END
$$;

-- The one writer of a meeting's start: the first call wins and records `meeting.started`.
CREATE FUNCTION mark_meeting_started(p_meeting_id bigint, p_at timestamptz, p_actor text)
RETURNS boolean LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  UPDATE video_session_details SET started_at = p_at WHERE id = p_meeting_id AND started_at IS NULL;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  PERFORM record_outbox_event('meeting.started', p_meeting_id, p_actor, '{}'::jsonb, p_at);
  RETURN true;
END
$$;

-- Presence now answers whether the attendee is present afterwards (the caller compares with before).
DROP FUNCTION record_connection_event(text, text, text, jsonb, bigint, text, text, boolean, timestamptz, text, jsonb);
DROP FUNCTION refresh_attendee_presence(bigint, text, jsonb);

CREATE FUNCTION refresh_attendee_presence(p_meeting_id bigint, p_attendee text, p_ext_metadata jsonb)
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  v_present boolean;
BEGIN
  INSERT INTO session_attendees AS sa (session_detail_id, attendee, connection_ids, is_present, joined_at, left_at, ext_metadata)
  SELECT p_meeting_id, p_attendee, c.live, cardinality(c.live) > 0, c.first_join,
         CASE WHEN cardinality(c.live) = 0 THEN c.last_leave END, p_ext_metadata
    FROM (SELECT COALESCE(array_agg(ac.connection_id ORDER BY ac.connected_at, ac.connection_id)
                   FILTER (WHERE ac.connected_at IS NOT NULL AND ac.disconnected_at IS NULL), '{}') AS live,
                 min(ac.connected_at) AS first_join, max(ac.disconnected_at) AS last_leave
            FROM attendee_connections ac
           WHERE ac.session_detail_id = p_meeting_id AND ac.attendee = p_attendee) c
  ON CONFLICT (session_detail_id, attendee) DO UPDATE
    SET connection_ids = EXCLUDED.connection_ids, is_present = EXCLUDED.is_present,
        joined_at = EXCLUDED.joined_at, left_at = EXCLUDED.left_at,
        ext_metadata = COALESCE(EXCLUDED.ext_metadata, sa.ext_metadata), modified_on = now()
  RETURNING is_present INTO v_present;
  RETURN v_present;
END
$$;

-- Records one presence change of an attendee under its lock and reports the transition:
-- 'joined' (absent → present), 'left' (present → absent) or 'none'; each transition writes its event.
CREATE FUNCTION apply_connection_fact(
  p_meeting_id bigint, p_attendee text, p_connection_id text, p_connected boolean,
  p_at timestamptz, p_reason text, p_ext_metadata jsonb, p_actor text)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  v_before boolean;
  v_after boolean;
BEGIN
  -- The same key the service takes for session-wide changes (see AttendeeRepository).
  PERFORM pg_advisory_xact_lock(hashtextextended('attendee:' || p_meeting_id || ':' || p_attendee, 0));
  SELECT is_present INTO v_before FROM session_attendees WHERE session_detail_id = p_meeting_id AND attendee = p_attendee;
  IF p_connected THEN
    INSERT INTO attendee_connections AS ac (session_detail_id, connection_id, attendee, connected_at)
    VALUES (p_meeting_id, p_connection_id, p_attendee, p_at)
    ON CONFLICT (session_detail_id, connection_id) DO UPDATE
      SET connected_at = LEAST(COALESCE(ac.connected_at, EXCLUDED.connected_at), EXCLUDED.connected_at);
  ELSE
    INSERT INTO attendee_connections AS ac (session_detail_id, connection_id, attendee, disconnected_at, disconnect_reason)
    VALUES (p_meeting_id, p_connection_id, p_attendee, p_at, p_reason)
    ON CONFLICT (session_detail_id, connection_id) DO UPDATE
      SET disconnected_at = GREATEST(COALESCE(ac.disconnected_at, EXCLUDED.disconnected_at), EXCLUDED.disconnected_at),
          disconnect_reason = COALESCE(ac.disconnect_reason, EXCLUDED.disconnect_reason);
  END IF;
  v_after := refresh_attendee_presence(p_meeting_id, p_attendee, p_ext_metadata);
  IF v_after AND NOT COALESCE(v_before, false) THEN
    PERFORM record_outbox_event('attendee.joined', p_meeting_id, p_actor,
      jsonb_build_object('attendee', p_attendee, 'participantId', p_connection_id), p_at);
    PERFORM mark_meeting_started(p_meeting_id, p_at, p_actor);
    RETURN 'joined';
  ELSIF NOT v_after AND COALESCE(v_before, false) THEN
    PERFORM record_outbox_event('attendee.left', p_meeting_id, p_actor,
      jsonb_build_object('attendee', p_attendee, 'participantId', p_connection_id, 'reason', p_reason), p_at);
    RETURN 'left';
  END IF;
  RETURN 'none';
END
$$;

-- Claims a connection callback and applies it, in one round trip: 'duplicate' when another delivery
-- already claimed it, else the attendee's transition.
CREATE FUNCTION record_connection_event(
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

-- Down Migration
DROP FUNCTION record_connection_event(text, text, text, jsonb, bigint, text, text, boolean, timestamptz, text, jsonb, text);
DROP FUNCTION apply_connection_fact(bigint, text, text, boolean, timestamptz, text, jsonb, text);
DROP FUNCTION refresh_attendee_presence(bigint, text, jsonb);
DROP FUNCTION mark_meeting_started(bigint, timestamptz, text);
DROP FUNCTION record_outbox_event(text, bigint, text, jsonb, timestamptz);
DROP TABLE outbox_events;
UPDATE storage_targets SET fallback = 'vonage' WHERE fallback = 'provider';
ALTER TABLE video_session_details DROP CONSTRAINT video_session_details_provider_session_key;
ALTER TABLE video_session_details ADD CONSTRAINT video_session_details_session_id_key UNIQUE (session_id);
ALTER TABLE video_session_details DROP COLUMN end_reason;
ALTER TABLE video_session_details DROP COLUMN started_at;
ALTER TABLE video_session_details DROP COLUMN provider_session_name;
ALTER TABLE video_session_details DROP COLUMN provider;

CREATE FUNCTION refresh_attendee_presence(p_meeting_id bigint, p_attendee text, p_ext_metadata jsonb)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO session_attendees AS sa (session_detail_id, attendee, connection_ids, is_present, joined_at, left_at, ext_metadata)
  SELECT p_meeting_id, p_attendee, c.live, cardinality(c.live) > 0, c.first_join,
         CASE WHEN cardinality(c.live) = 0 THEN c.last_leave END, p_ext_metadata
    FROM (SELECT COALESCE(array_agg(ac.connection_id ORDER BY ac.connected_at, ac.connection_id)
                   FILTER (WHERE ac.connected_at IS NOT NULL AND ac.disconnected_at IS NULL), '{}') AS live,
                 min(ac.connected_at) AS first_join, max(ac.disconnected_at) AS last_leave
            FROM attendee_connections ac
           WHERE ac.session_detail_id = p_meeting_id AND ac.attendee = p_attendee) c
  ON CONFLICT (session_detail_id, attendee) DO UPDATE
    SET connection_ids = EXCLUDED.connection_ids, is_present = EXCLUDED.is_present,
        joined_at = EXCLUDED.joined_at, left_at = EXCLUDED.left_at,
        ext_metadata = COALESCE(EXCLUDED.ext_metadata, sa.ext_metadata), modified_on = now();
END
$$;

CREATE FUNCTION record_connection_event(
  p_dedupe_key text, p_event_type text, p_session_id text, p_payload jsonb,
  p_meeting_id bigint, p_attendee text, p_connection_id text, p_connected boolean,
  p_at timestamptz, p_reason text, p_ext_metadata jsonb)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO webhook_events (dedupe_key, event_type, session_id, outcome, payload)
  VALUES (p_dedupe_key, p_event_type, p_session_id, 'processed', p_payload)
  ON CONFLICT (dedupe_key) DO NOTHING;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('attendee:' || p_meeting_id || ':' || p_attendee, 0));
  IF p_connected THEN
    INSERT INTO attendee_connections AS ac (session_detail_id, connection_id, attendee, connected_at)
    VALUES (p_meeting_id, p_connection_id, p_attendee, p_at)
    ON CONFLICT (session_detail_id, connection_id) DO UPDATE
      SET connected_at = LEAST(COALESCE(ac.connected_at, EXCLUDED.connected_at), EXCLUDED.connected_at);
  ELSE
    INSERT INTO attendee_connections AS ac (session_detail_id, connection_id, attendee, disconnected_at, disconnect_reason)
    VALUES (p_meeting_id, p_connection_id, p_attendee, p_at, p_reason)
    ON CONFLICT (session_detail_id, connection_id) DO UPDATE
      SET disconnected_at = GREATEST(COALESCE(ac.disconnected_at, EXCLUDED.disconnected_at), EXCLUDED.disconnected_at),
          disconnect_reason = COALESCE(ac.disconnect_reason, EXCLUDED.disconnect_reason);
  END IF;
  PERFORM refresh_attendee_presence(p_meeting_id, p_attendee, p_ext_metadata);
  RETURN true;
END
$$;
