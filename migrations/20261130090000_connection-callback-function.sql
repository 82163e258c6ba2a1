-- Up Migration
-- Connection callbacks arrive by the thousand at the top of the hour. Claiming the callback,
-- locking the attendee, recording the connection fact and rebuilding presence took six round
-- trips (BEGIN, four statements, COMMIT); as functions they take one. PL/pgSQL keeps each
-- statement's plan for the life of the connection.

-- Rebuilds one attendee's row from its connection facts. Callers hold the attendee's advisory lock.
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

-- Claims a connection callback and applies it; false when another delivery already claimed it.
-- The lock key is the one the service takes for session-wide events: 'attendee:<meeting id>:<attendee>'.
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

-- Down Migration
DROP FUNCTION record_connection_event(text, text, text, jsonb, bigint, text, text, boolean, timestamptz, text, jsonb);
DROP FUNCTION refresh_attendee_presence(bigint, text, jsonb);
