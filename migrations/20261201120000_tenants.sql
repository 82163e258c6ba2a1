-- Up Migration
-- Meetings belong to the tenant of the caller who created them (null: a caller without one). Everything
-- reached through a meeting (attendees, archives, events) is scoped by it.
ALTER TABLE video_session_details ADD COLUMN tenant_id text;
CREATE INDEX video_session_details_tenant_idx ON video_session_details (tenant_id, id) WHERE tenant_id IS NOT NULL;

-- Events carry their meeting's tenant, so subscriptions (events issue) can be scoped without a join.
ALTER TABLE outbox_events ADD COLUMN tenant_id text;
CREATE OR REPLACE FUNCTION record_outbox_event(p_type text, p_meeting_id bigint, p_actor text, p_data jsonb, p_occurred_at timestamptz)
RETURNS void LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  INSERT INTO outbox_events (type, meeting_id, meeting_link, tenant_id, actor, data, occurred_at)
  SELECT p_type, p_meeting_id, m.meeting_link, m.tenant_id, p_actor, COALESCE(p_data, '{}'::jsonb), COALESCE(p_occurred_at, now())
    FROM (SELECT 1) one LEFT JOIN video_session_details m ON m.id = p_meeting_id;
END
$$;

-- The kept archive counts answer unfiltered listings, which are now per tenant ('' = no tenant: a key
-- column cannot be null). A meeting's tenant never changes, so a count row never has to move.
ALTER TABLE archive_counts ADD COLUMN tenant text NOT NULL DEFAULT '';
ALTER TABLE archive_counts DROP CONSTRAINT archive_counts_pkey;
ALTER TABLE archive_counts ADD PRIMARY KEY (tenant, status, stripe);

CREATE OR REPLACE FUNCTION count_archives() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  counted_before boolean := TG_OP IN ('UPDATE', 'DELETE') AND COALESCE(NOT OLD.deleted AND OLD.session_detail_id IS NOT NULL, false);
  counted_after boolean := TG_OP IN ('INSERT', 'UPDATE') AND COALESCE(NOT NEW.deleted AND NEW.session_detail_id IS NOT NULL, false);
  tenant_before text;
  tenant_after text;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM archive_counts;
    RETURN NULL;
  END IF;
  IF counted_before THEN
    SELECT COALESCE(tenant_id, '') INTO tenant_before FROM video_session_details WHERE id = OLD.session_detail_id;
    tenant_before := COALESCE(tenant_before, '');
  END IF;
  IF counted_after THEN
    SELECT COALESCE(tenant_id, '') INTO tenant_after FROM video_session_details WHERE id = NEW.session_detail_id;
    tenant_after := COALESCE(tenant_after, '');
  END IF;
  -- Rows are updated in key order (tenant, status, stripe), so two transactions never wait on each other in a circle.
  IF counted_before AND (NOT counted_after OR (tenant_before, OLD.status, OLD.id % 16) < (tenant_after, NEW.status, NEW.id % 16)) THEN
    UPDATE archive_counts SET archives = archives - 1 WHERE tenant = tenant_before AND status = OLD.status AND stripe = OLD.id % 16;
    counted_before := false;
  END IF;
  IF counted_after THEN
    INSERT INTO archive_counts AS c (tenant, status, stripe, archives) VALUES (tenant_after, NEW.status, NEW.id % 16, 1)
    ON CONFLICT (tenant, status, stripe) DO UPDATE SET archives = c.archives + 1;
  END IF;
  IF counted_before THEN
    UPDATE archive_counts SET archives = archives - 1 WHERE tenant = tenant_before AND status = OLD.status AND stripe = OLD.id % 16;
  END IF;
  RETURN NULL;
END
$$;

-- Down Migration
CREATE OR REPLACE FUNCTION count_archives() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  counted_before boolean := TG_OP IN ('UPDATE', 'DELETE') AND COALESCE(NOT OLD.deleted AND OLD.session_detail_id IS NOT NULL, false);
  counted_after boolean := TG_OP IN ('INSERT', 'UPDATE') AND COALESCE(NOT NEW.deleted AND NEW.session_detail_id IS NOT NULL, false);
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM archive_counts;
    RETURN NULL;
  END IF;
  IF counted_before AND (NOT counted_after OR (OLD.status, OLD.id % 16) < (NEW.status, NEW.id % 16)) THEN
    UPDATE archive_counts SET archives = archives - 1 WHERE status = OLD.status AND stripe = OLD.id % 16;
    counted_before := false;
  END IF;
  IF counted_after THEN
    INSERT INTO archive_counts AS c (status, stripe, archives) VALUES (NEW.status, NEW.id % 16, 1)
    ON CONFLICT (status, stripe) DO UPDATE SET archives = c.archives + 1;
  END IF;
  IF counted_before THEN
    UPDATE archive_counts SET archives = archives - 1 WHERE status = OLD.status AND stripe = OLD.id % 16;
  END IF;
  RETURN NULL;
END
$$;
-- Merge the tenants' rows back into one row per status and stripe.
CREATE TEMP TABLE archive_counts_merged AS
  SELECT status, stripe, sum(archives)::bigint AS archives FROM archive_counts GROUP BY status, stripe;
DELETE FROM archive_counts;
ALTER TABLE archive_counts DROP CONSTRAINT archive_counts_pkey;
ALTER TABLE archive_counts DROP COLUMN tenant;
ALTER TABLE archive_counts ADD PRIMARY KEY (status, stripe);
INSERT INTO archive_counts (status, stripe, archives) SELECT status, stripe, archives FROM archive_counts_merged;
DROP TABLE archive_counts_merged;

CREATE OR REPLACE FUNCTION record_outbox_event(p_type text, p_meeting_id bigint, p_actor text, p_data jsonb, p_occurred_at timestamptz)
RETURNS void LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  INSERT INTO outbox_events (type, meeting_id, meeting_link, actor, data, occurred_at)
  SELECT p_type, p_meeting_id, (SELECT m.meeting_link FROM video_session_details m WHERE m.id = p_meeting_id),
         p_actor, COALESCE(p_data, '{}'::jsonb), COALESCE(p_occurred_at, now());
END
$$;
ALTER TABLE outbox_events DROP COLUMN tenant_id;
DROP INDEX video_session_details_tenant_idx;
ALTER TABLE video_session_details DROP COLUMN tenant_id;
