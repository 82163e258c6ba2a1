-- Up Migration
-- The event log (GET /events) reads the outbox newest first per tenant ('' = no tenant, as in
-- archive_counts: an index expression must not be null-blind), by meeting link and by time.
CREATE INDEX outbox_events_tenant_time_idx ON outbox_events ((COALESCE(tenant_id, '')), occurred_at DESC, id DESC);
CREATE INDEX outbox_events_link_time_idx ON outbox_events (meeting_link, occurred_at DESC, id DESC) WHERE meeting_link IS NOT NULL;

-- Event subscriptions of the service's users (Vonage Integration Suite shape, Standard Webhooks wire format).
CREATE TABLE webhook_subscriptions (
  id                      uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant                  text        NOT NULL DEFAULT '',
  url                     text        NOT NULL,
  -- Event types, or '{*}' for all of them.
  events                  text[]      NOT NULL,
  signing_algo            text        NOT NULL DEFAULT 'HMAC_SHA256',
  -- The whsec_ key sealed with STORAGE_ENCRYPTION_KEY; the previous one signs too until previous_key_until.
  key_ciphertext          text        NOT NULL,
  key_version             integer     NOT NULL DEFAULT 1,
  previous_key_ciphertext text,
  previous_key_until      timestamptz,
  metadata_policy         text        NOT NULL DEFAULT 'NONE' CHECK (metadata_policy IN ('NONE', 'HEADER', 'BODY')),
  status                  text        NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'PAUSED')),
  description             text,
  expire_at               timestamptz NOT NULL,
  purge_at                timestamptz NOT NULL,
  renewed_at              timestamptz,
  -- Since when the subscription is paused: catch-up on re-activation starts here.
  paused_at               timestamptz,
  -- First failure since the last success: five days of nothing but failures pause the subscription.
  failing_since           timestamptz,
  failed                  boolean     NOT NULL DEFAULT false,
  total_attempts          bigint      NOT NULL DEFAULT 0,
  total_successes         bigint      NOT NULL DEFAULT 0,
  total_failures          bigint      NOT NULL DEFAULT 0,
  created_by              text,
  created_on              timestamptz NOT NULL DEFAULT now(),
  modified_on             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_subscriptions_tenant_idx ON webhook_subscriptions (tenant, created_on DESC, id);
CREATE INDEX webhook_subscriptions_purge_idx ON webhook_subscriptions (purge_at);

-- One row per event and subscription: the delivery log, and the queue its worker claims from.
CREATE TABLE webhook_deliveries (
  id               bigserial   PRIMARY KEY,
  subscription_id  uuid        NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
  -- Null for a `ping` (a test delivery is not a meeting event); pruned events take their deliveries along.
  outbox_id        bigint      REFERENCES outbox_events (id) ON DELETE CASCADE,
  event_id         uuid        NOT NULL,
  event_type       text        NOT NULL,
  -- Deliveries of one meeting to one subscription are attempted in outbox order.
  meeting_id       bigint,
  ping_data        jsonb,
  state            text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'succeeded', 'failed')),
  -- Attempts in the current round (a redelivery starts a new round).
  attempts         integer     NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz,
  -- Set while a worker sends it; a worker that died leaves it to be claimed again after the lease.
  leased_until     timestamptz,
  first_attempt_at timestamptz,
  last_attempt_at  timestamptz,
  last_status_code integer,
  last_duration_ms integer,
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT webhook_deliveries_event_key UNIQUE (subscription_id, event_id)
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (subscription_id, next_attempt_at, id) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_order_idx ON webhook_deliveries (subscription_id, meeting_id, outbox_id) WHERE state = 'pending' AND meeting_id IS NOT NULL;
CREATE INDEX webhook_deliveries_unordered_idx ON webhook_deliveries (subscription_id, next_attempt_at, id) WHERE state = 'pending' AND meeting_id IS NULL;
CREATE INDEX webhook_deliveries_leased_idx ON webhook_deliveries (subscription_id) WHERE state = 'pending' AND leased_until IS NOT NULL;
CREATE INDEX webhook_deliveries_log_idx ON webhook_deliveries (subscription_id, id DESC);
CREATE INDEX webhook_deliveries_outbox_idx ON webhook_deliveries (outbox_id) WHERE outbox_id IS NOT NULL;

-- Every attempt, for the record; the delivery row carries the last one.
CREATE TABLE webhook_delivery_attempts (
  id           bigserial   PRIMARY KEY,
  delivery_id  bigint      NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  attempt      integer     NOT NULL,
  attempted_at timestamptz NOT NULL DEFAULT now(),
  succeeded    boolean     NOT NULL,
  status_code  integer,
  duration_ms  integer     NOT NULL,
  error        text
);
CREATE INDEX webhook_delivery_attempts_delivery_idx ON webhook_delivery_attempts (delivery_id, id);

-- Fan-out in the transaction of the event: a delivery exists exactly when its event committed, no
-- dispatcher has to find rows committed out of id order, and the workers are woken by NOTIFY.
CREATE FUNCTION fan_out_outbox_event() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  INSERT INTO webhook_deliveries (subscription_id, outbox_id, event_id, event_type, meeting_id, next_attempt_at)
  SELECT s.id, NEW.id, NEW.event_id, NEW.type, NEW.meeting_id, now()
    FROM webhook_subscriptions s
   WHERE s.tenant = COALESCE(NEW.tenant_id, '') AND s.status = 'ACTIVE' AND s.expire_at > now()
     AND (s.events @> ARRAY[NEW.type] OR s.events @> ARRAY['*']);
  IF FOUND THEN
    PERFORM pg_notify('vcs_webhook_deliveries', '');
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER outbox_events_fan_out AFTER INSERT ON outbox_events FOR EACH ROW EXECUTE FUNCTION fan_out_outbox_event();

-- Down Migration
DROP TRIGGER outbox_events_fan_out ON outbox_events;
DROP FUNCTION fan_out_outbox_event();
DROP TABLE webhook_delivery_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_subscriptions;
DROP INDEX outbox_events_link_time_idx;
DROP INDEX outbox_events_tenant_time_idx;
