-- Up Migration
-- Tables are created in the schema named by DB_SCHEMA: the runner sets search_path,
-- so no schema name is written here.

CREATE TABLE video_session_details (
  id                bigserial PRIMARY KEY,
  session_id        text        NOT NULL,
  meeting_link      text        NOT NULL,
  is_scheduled      boolean     NOT NULL DEFAULT false,
  schedule_time     timestamptz,
  is_archived       boolean     NOT NULL DEFAULT false,
  archive_id        text,
  upload_target     text,
  start_time        timestamptz,
  end_time          timestamptz,
  e2ee              boolean     NOT NULL DEFAULT false,
  enable_archiving  boolean     NOT NULL DEFAULT false,
  ext_id            text,
  ext_metadata      jsonb,
  created_by        text,
  modified_by       text,
  created_on        timestamptz NOT NULL DEFAULT now(),
  modified_on       timestamptz NOT NULL DEFAULT now(),
  deleted           boolean     NOT NULL DEFAULT false,
  -- Only set when a row is deleted; never defaulted.
  deleted_on        timestamptz,
  deleted_by        text,
  CONSTRAINT video_session_details_meeting_link_key UNIQUE (meeting_link),
  CONSTRAINT video_session_details_session_id_key UNIQUE (session_id),
  CONSTRAINT video_session_details_schedule_chk CHECK (NOT is_scheduled OR schedule_time IS NOT NULL)
);
CREATE INDEX video_session_details_ext_id_idx ON video_session_details (ext_id) WHERE ext_id IS NOT NULL;

CREATE TABLE session_attendees (
  id                 bigserial PRIMARY KEY,
  session_detail_id  bigint      NOT NULL REFERENCES video_session_details (id) ON DELETE CASCADE,
  attendee           text        NOT NULL,
  -- Live connections, derived from attendee_connections in the same transaction.
  connection_ids     text[]      NOT NULL DEFAULT '{}',
  is_present         boolean     NOT NULL DEFAULT false,
  joined_at          timestamptz,
  left_at            timestamptz,
  ext_metadata       jsonb,
  created_on         timestamptz NOT NULL DEFAULT now(),
  modified_on        timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT session_attendees_meeting_attendee_key UNIQUE (session_detail_id, attendee)
);
CREATE INDEX session_attendees_listing_idx ON session_attendees (session_detail_id, joined_at, id);
CREATE INDEX session_attendees_presence_idx ON session_attendees (session_detail_id, is_present, joined_at, id);

CREATE TABLE attendee_connections (
  session_detail_id  bigint      NOT NULL REFERENCES video_session_details (id) ON DELETE CASCADE,
  connection_id      text        NOT NULL,
  attendee           text        NOT NULL,
  connected_at       timestamptz,
  disconnected_at    timestamptz,
  disconnect_reason  text,
  PRIMARY KEY (session_detail_id, connection_id)
);
CREATE INDEX attendee_connections_attendee_idx ON attendee_connections (session_detail_id, attendee);

CREATE TABLE archives (
  id                 bigserial PRIMARY KEY,
  archive_id         text        NOT NULL,
  session_detail_id  bigint      REFERENCES video_session_details (id) ON DELETE SET NULL,
  session_id         text        NOT NULL,
  status             text        NOT NULL,
  name               text,
  output_mode        text        NOT NULL DEFAULT 'composed',
  size_bytes         bigint      NOT NULL DEFAULT 0,
  duration_seconds   integer     NOT NULL DEFAULT 0,
  reason             text,
  created_at         timestamptz NOT NULL,
  url                text,
  upload_target      text,
  storage_key        text,
  provider_deleted   boolean     NOT NULL DEFAULT false,
  storage_deleted    boolean     NOT NULL DEFAULT false,
  deleted            boolean     NOT NULL DEFAULT false,
  deleted_at         timestamptz,
  deleted_by         text,
  modified_on        timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT archives_archive_id_key UNIQUE (archive_id)
);
CREATE INDEX archives_listing_idx ON archives (created_at DESC, id DESC) WHERE NOT deleted;
CREATE INDEX archives_meeting_idx ON archives (session_detail_id, created_at DESC) WHERE NOT deleted;
CREATE INDEX archives_session_idx ON archives (session_id, created_at DESC) WHERE NOT deleted;
CREATE INDEX archives_status_idx ON archives (status, created_at DESC) WHERE NOT deleted;

CREATE TABLE webhook_events (
  id           bigserial PRIMARY KEY,
  dedupe_key   text        NOT NULL,
  event_type   text        NOT NULL,
  session_id   text,
  received_at  timestamptz NOT NULL DEFAULT now(),
  outcome      text        NOT NULL,
  payload      jsonb,
  CONSTRAINT webhook_events_dedupe_key_key UNIQUE (dedupe_key)
);
CREATE INDEX webhook_events_received_at_idx ON webhook_events (received_at);

CREATE TABLE storage_targets (
  id                  bigserial PRIMARY KEY,
  -- One active target per deployment today; the column leaves room for per-tenant targets.
  scope               text        NOT NULL DEFAULT 'default',
  type                text        NOT NULL CHECK (type IN ('s3', 'azure')),
  settings            jsonb       NOT NULL,
  secrets_ciphertext  text        NOT NULL,
  fallback            text        NOT NULL DEFAULT 'none',
  provider_applied    boolean     NOT NULL DEFAULT false,
  created_by          text,
  created_on          timestamptz NOT NULL DEFAULT now(),
  modified_by         text,
  modified_on         timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT storage_targets_scope_key UNIQUE (scope)
);

CREATE TABLE audit_logs (
  id           bigserial PRIMARY KEY,
  actor        text,
  action       text        NOT NULL,
  entity_type  text        NOT NULL,
  entity_id    text        NOT NULL,
  before       jsonb,
  after        jsonb,
  created_on   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_logs_entity_idx ON audit_logs (entity_type, entity_id, created_on);

-- Down Migration
DROP TABLE audit_logs;
DROP TABLE storage_targets;
DROP TABLE webhook_events;
DROP TABLE archives;
DROP TABLE attendee_connections;
DROP TABLE session_attendees;
DROP TABLE video_session_details;
