-- Up Migration
-- A provider's media id (a Vonage stream) is kept on its connection in the callback's own statement, claimed with
-- it, instead of in a second statement after it: moderation mutes by media, and the callback stays one round trip.
DROP FUNCTION record_connection_event(text, text, text, jsonb, bigint, text, text, boolean, timestamptz, text, jsonb, text);
CREATE FUNCTION record_connection_event(
  p_dedupe_key text, p_event_type text, p_session_id text, p_payload jsonb,
  p_meeting_id bigint, p_attendee text, p_connection_id text, p_connected boolean,
  p_at timestamptz, p_reason text, p_ext_metadata jsonb, p_actor text, p_media_id text DEFAULT NULL)
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
  -- The connection's row exists once its fact is applied.
  IF p_media_id IS NOT NULL THEN
    UPDATE attendee_connections SET media_ids = media_ids || p_media_id
     WHERE session_detail_id = p_meeting_id AND connection_id = p_connection_id AND NOT (p_media_id = ANY (media_ids));
  END IF;
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
DROP FUNCTION record_connection_event(text, text, text, jsonb, bigint, text, text, boolean, timestamptz, text, jsonb, text, text);
CREATE FUNCTION record_connection_event(
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
