import {inject} from '@loopback/core';
import {PgDataSource} from '../datasources/pg.datasource';
import type {MetadataPolicy} from './webhook-subscription.repository';
import {runnerOf, Transaction} from './transaction';

/** The channel the fan-out trigger notifies; workers LISTEN on it. */
export const DELIVERY_CHANNEL = 'vcs_webhook_deliveries';

export type DeliveryOutcome = 'pending' | 'succeeded' | 'failed';

/** A delivery a worker claimed: everything one attempt needs, keys still sealed. */
export interface ClaimedDelivery {
  deliveryId: string;
  /** Attempts in this round, the claimed one included. */
  attempt: number;
  firstAttemptAt: Date;
  subscriptionId: string;
  url: string;
  keyCiphertext: string;
  keyVersion: number;
  /** Still signing beside the current key (a rotation's overlap). */
  previousKeyCiphertext: string | null;
  metadataPolicy: MetadataPolicy;
  eventId: string;
  type: string;
  occurredAt: Date;
  data: Record<string, unknown>;
  meetingLinkId: string | null;
  /** The meeting's extMetadata, read only when the policy places it. */
  extMetadata: unknown;
}

export interface ClaimOptions {
  limit: number;
  perSubscription: number;
  orderWaitAttempts: number;
  leaseSeconds: number;
}

/** What one attempt came to. `nextAttemptAt` null with a failure: no retry is left. */
export interface AttemptResult {
  deliveryId: string;
  succeeded: boolean;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  nextAttemptAt: Date | null;
  /** 410 Gone: pause the subscription at once. */
  gone: boolean;
  /** Failing every attempt this long pauses the subscription with `failed` set. */
  disableAfterFailingMs: number;
}

export interface DeliveryLogEntry {
  eventId: string;
  type: string;
  outcome: DeliveryOutcome;
  attempt: number;
  statusCode: number | null;
  durationMs: number | null;
  error: string | null;
  attemptedAt: Date | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
}

/*
 * Claims due deliveries. Per subscription: each meeting's first pending deliveries in event order (a loose index
 * scan finds the meetings, so a backlog of blocked events is never read row by row), of which only those before
 * or at the first one with fewer than $3 attempts may go; plus deliveries without a meeting (no order to keep).
 * At most $2 in flight per subscription, $1 in all; SKIP LOCKED shares the work between replicas.
 */
const CLAIM = `
WITH RECURSIVE active AS (
  SELECT s.id, (SELECT count(*) FROM webhook_deliveries b
                 WHERE b.subscription_id = s.id AND b.state = 'pending' AND b.leased_until IS NOT NULL AND b.leased_until > now()) AS busy
    FROM webhook_subscriptions s WHERE s.status = 'ACTIVE' AND s.expire_at > now()
), meetings AS (
  SELECT a.id AS subscription_id, a.busy,
         (SELECT min(d.meeting_id) FROM webhook_deliveries d
           WHERE d.subscription_id = a.id AND d.state = 'pending' AND d.meeting_id IS NOT NULL) AS meeting_id
    FROM active a WHERE a.busy < $2
  UNION ALL
  SELECT m.subscription_id, m.busy,
         (SELECT min(d.meeting_id) FROM webhook_deliveries d
           WHERE d.subscription_id = m.subscription_id AND d.state = 'pending' AND d.meeting_id IS NOT NULL AND d.meeting_id > m.meeting_id)
    FROM meetings m WHERE m.meeting_id IS NOT NULL
), ordered AS (
  SELECT h.id, h.subscription_id, h.next_attempt_at, m.busy
    FROM meetings m
    CROSS JOIN LATERAL (
      SELECT d.id, d.subscription_id, d.next_attempt_at,
             COALESCE(sum(CASE WHEN d.attempts < $3 THEN 1 ELSE 0 END)
                        OVER (ORDER BY d.outbox_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS waiting_behind
        FROM webhook_deliveries d
       WHERE d.subscription_id = m.subscription_id AND d.meeting_id = m.meeting_id AND d.state = 'pending'
       ORDER BY d.outbox_id LIMIT $2
    ) h
   WHERE m.meeting_id IS NOT NULL AND h.waiting_behind = 0 AND h.next_attempt_at <= now()
), unordered AS (
  SELECT u.id, u.subscription_id, u.next_attempt_at, a.busy
    FROM active a
    CROSS JOIN LATERAL (
      SELECT d.id, d.subscription_id, d.next_attempt_at FROM webhook_deliveries d
       WHERE d.subscription_id = a.id AND d.state = 'pending' AND d.meeting_id IS NULL AND d.next_attempt_at <= now()
       ORDER BY d.next_attempt_at, d.id LIMIT $2
    ) u
   WHERE a.busy < $2
), candidates AS (
  SELECT c.id, c.next_attempt_at, row_number() OVER (PARTITION BY c.subscription_id ORDER BY c.next_attempt_at, c.id) + c.busy AS slot
    FROM (SELECT * FROM ordered UNION ALL SELECT * FROM unordered) c
), locked AS (
  SELECT d.id FROM webhook_deliveries d
   WHERE d.id IN (SELECT id FROM candidates WHERE slot <= $2 ORDER BY next_attempt_at, id LIMIT $1)
     AND d.state = 'pending' AND d.next_attempt_at <= now()
     FOR UPDATE SKIP LOCKED
), claimed AS (
  UPDATE webhook_deliveries d
     SET attempts = d.attempts + 1, leased_until = now() + make_interval(secs => $4), next_attempt_at = now() + make_interval(secs => $4),
         first_attempt_at = COALESCE(d.first_attempt_at, now())
    FROM locked WHERE d.id = locked.id
  RETURNING d.id, d.attempts, d.first_attempt_at, d.subscription_id, d.outbox_id, d.event_id, d.event_type, d.meeting_id, d.ping_data, d.created_at
)
SELECT c.id, c.attempts, c.first_attempt_at, c.subscription_id, c.event_id, c.event_type,
       s.url, s.key_ciphertext, s.key_version, s.metadata_policy,
       CASE WHEN s.previous_key_until > now() THEN s.previous_key_ciphertext END AS previous_key_ciphertext,
       COALESCE(o.occurred_at, c.created_at) AS occurred_at, COALESCE(o.data, c.ping_data, '{}'::jsonb) AS data, o.meeting_link,
       CASE WHEN s.metadata_policy <> 'NONE' THEN m.ext_metadata END AS ext_metadata
  FROM claimed c
  JOIN webhook_subscriptions s ON s.id = c.subscription_id
  LEFT JOIN outbox_events o ON o.id = c.outbox_id
  LEFT JOIN video_session_details m ON m.id = c.meeting_id`;

const RECORD = `
WITH d AS (
  UPDATE webhook_deliveries
     SET state = $2, next_attempt_at = $3, leased_until = NULL, last_attempt_at = now(), last_status_code = $4, last_duration_ms = $5, last_error = $6
   WHERE id = $1 RETURNING id, subscription_id, attempts
), attempt AS (
  INSERT INTO webhook_delivery_attempts (delivery_id, attempt, succeeded, status_code, duration_ms, error)
  SELECT id, attempts, $7, $4, $5, $6 FROM d
), verdict AS (
  SELECT s.id, ($8 OR COALESCE(NOT $7 AND s.failing_since <= now() - make_interval(secs => $9), false)) AS pause,
         COALESCE(NOT $8 AND NOT $7 AND s.failing_since <= now() - make_interval(secs => $9), false) AS disable
    FROM webhook_subscriptions s JOIN d ON d.subscription_id = s.id
)
UPDATE webhook_subscriptions s
   SET total_attempts = s.total_attempts + 1,
       total_successes = s.total_successes + CASE WHEN $7 THEN 1 ELSE 0 END,
       total_failures = s.total_failures + CASE WHEN $7 THEN 0 ELSE 1 END,
       failing_since = CASE WHEN $7 THEN NULL ELSE COALESCE(s.failing_since, now()) END,
       paused_at = CASE WHEN v.pause AND s.status = 'ACTIVE' THEN now() ELSE s.paused_at END,
       status = CASE WHEN v.pause THEN 'PAUSED' ELSE s.status END,
       failed = s.failed OR v.disable
  FROM verdict v WHERE s.id = v.id`;

const LOG_COLUMNS = `event_id, event_type, state, attempts, last_status_code, last_duration_ms, last_error, last_attempt_at,
  CASE WHEN state = 'pending' THEN next_attempt_at END AS next_attempt_at, created_at`;

/** The delivery queue and log: one row per event and subscription. */
export class WebhookDeliveryRepository {
  constructor(@inject('datasources.pg') private readonly dataSource: PgDataSource) {}

  /** Claims due deliveries for one worker (see CLAIM); the lease makes a worker's crash a retry, not a loss. */
  async claim(options: ClaimOptions): Promise<ClaimedDelivery[]> {
    const result = await this.dataSource.pool.query({
      name: 'vcs-claim-deliveries',
      text: CLAIM,
      values: [options.limit, options.perSubscription, options.orderWaitAttempts, options.leaseSeconds],
    });
    return result.rows.map(toClaimed);
  }

  /** The attempt's row, the delivery's state and the subscription's statistics and status, in one statement. */
  async record(attempt: AttemptResult): Promise<void> {
    const a = attempt;
    const state: DeliveryOutcome = a.succeeded ? 'succeeded' : a.nextAttemptAt ? 'pending' : 'failed';
    await this.dataSource.pool.query({
      name: 'vcs-record-delivery-attempt',
      text: RECORD,
      values: [a.deliveryId, state, a.nextAttemptAt, a.statusCode, a.durationMs, a.error, a.succeeded, a.gone, a.disableAfterFailingMs / 1000],
    });
  }

  /**
   * The delivery backlog for metrics: pending deliveries, seconds since the oldest of them was queued, paused
   * subscriptions. Pending rows are a partial index's; subscriptions are few.
   */
  async backlog(): Promise<{pending: number; oldestPendingSeconds: number; pausedSubscriptions: number}> {
    const result = await this.dataSource.pool.query(
      `SELECT (SELECT count(*)::int FROM webhook_deliveries WHERE state = 'pending') AS pending,
              (SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 FROM webhook_deliveries WHERE state = 'pending') AS oldest,
              (SELECT count(*)::int FROM webhook_subscriptions WHERE status = 'PAUSED') AS paused`,
    );
    const row = result.rows[0] as {pending: number; oldest: number; paused: number};
    return {pending: row.pending, oldestPendingSeconds: row.oldest, pausedSubscriptions: row.paused};
  }

  /** Queues a `ping` (not a meeting event, so not in the event log) for one subscription, due now. */
  async insertPing(subscriptionId: string, data: object): Promise<DeliveryLogEntry> {
    const result = await this.dataSource.pool.query(
      `WITH ins AS (
         INSERT INTO webhook_deliveries (subscription_id, event_id, event_type, ping_data, next_attempt_at)
         VALUES ($1, gen_random_uuid(), 'ping', $2, now()) RETURNING *
       ) SELECT ${LOG_COLUMNS}, pg_notify('${DELIVERY_CHANNEL}', '') FROM ins`,
      [subscriptionId, JSON.stringify(data)],
    );
    return toLogEntry(result.rows[0]);
  }

  /** Queues the events recorded since `since` that the subscription wants and has not had, oldest first. */
  async catchUp(subscriptionId: string, since: Date, tx: Transaction): Promise<number> {
    const result = await runnerOf(tx, this.dataSource.pool).query(
      `WITH ins AS (
         INSERT INTO webhook_deliveries (subscription_id, outbox_id, event_id, event_type, meeting_id, next_attempt_at)
         SELECT s.id, o.id, o.event_id, o.type, o.meeting_id, now()
           FROM webhook_subscriptions s JOIN outbox_events o ON COALESCE(o.tenant_id, '') = s.tenant
          WHERE s.id = $1 AND o.recorded_at >= $2 AND (s.events @> ARRAY[o.type] OR s.events @> ARRAY['*'])
          ORDER BY o.id
         ON CONFLICT (subscription_id, event_id) DO NOTHING RETURNING 1
       ) SELECT (SELECT count(*)::int FROM ins) AS count, pg_notify('${DELIVERY_CHANNEL}', '')`,
      [subscriptionId, since],
    );
    return result.rows[0].count as number;
  }

  async list(subscriptionId: string, outcome: DeliveryOutcome | undefined, page: {limit: number; offset: number}) {
    const filter = outcome ? ' AND state = $2' : '';
    const values: unknown[] = outcome ? [subscriptionId, outcome] : [subscriptionId];
    const n = values.length;
    const pool = this.dataSource.pool;
    const [items, total] = await Promise.all([
      pool.query(`SELECT ${LOG_COLUMNS} FROM webhook_deliveries WHERE subscription_id = $1${filter} ORDER BY id DESC LIMIT $${n + 1} OFFSET $${n + 2}`, [
        ...values,
        page.limit,
        page.offset,
      ]),
      pool.query(`SELECT count(*)::int AS count FROM webhook_deliveries WHERE subscription_id = $1${filter}`, values),
    ]);
    return {count: total.rows[0].count as number, items: items.rows.map(toLogEntry)};
  }

  /** Sends one delivery again now, as a new round of attempts; one in flight is left to finish. */
  async redeliver(subscriptionId: string, eventId: string): Promise<DeliveryLogEntry | null> {
    const result = await this.dataSource.pool.query(
      `WITH upd AS (
         UPDATE webhook_deliveries SET state = 'pending', attempts = 0, first_attempt_at = NULL, next_attempt_at = now()
          WHERE subscription_id = $1 AND event_id = $2 AND (leased_until IS NULL OR leased_until < now()) RETURNING *
       ), found AS (
         SELECT * FROM upd UNION ALL
         SELECT * FROM webhook_deliveries WHERE subscription_id = $1 AND event_id = $2 AND NOT EXISTS (SELECT 1 FROM upd)
       ) SELECT ${LOG_COLUMNS}, pg_notify('${DELIVERY_CHANNEL}', '') FROM found`,
      [subscriptionId, eventId],
    );
    return result.rows[0] ? toLogEntry(result.rows[0]) : null;
  }

  /** Sends every delivery that finally failed since `since` again; returns how many. */
  async recover(subscriptionId: string, since: Date): Promise<number> {
    const result = await this.dataSource.pool.query(
      `WITH upd AS (
         UPDATE webhook_deliveries SET state = 'pending', attempts = 0, first_attempt_at = NULL, next_attempt_at = now()
          WHERE subscription_id = $1 AND state = 'failed' AND created_at >= $2 RETURNING 1
       ) SELECT (SELECT count(*)::int FROM upd) AS count, pg_notify('${DELIVERY_CHANNEL}', '')`,
      [subscriptionId, since],
    );
    return result.rows[0].count as number;
  }
}

function toClaimed(row: Record<string, unknown>): ClaimedDelivery {
  return {
    deliveryId: String(row.id),
    attempt: row.attempts as number,
    firstAttemptAt: row.first_attempt_at as Date,
    subscriptionId: row.subscription_id as string,
    url: row.url as string,
    keyCiphertext: row.key_ciphertext as string,
    keyVersion: row.key_version as number,
    previousKeyCiphertext: row.previous_key_ciphertext as string | null,
    metadataPolicy: row.metadata_policy as MetadataPolicy,
    eventId: row.event_id as string,
    type: row.event_type as string,
    occurredAt: row.occurred_at as Date,
    data: row.data as Record<string, unknown>,
    meetingLinkId: row.meeting_link as string | null,
    extMetadata: row.ext_metadata ?? null,
  };
}

function toLogEntry(row: Record<string, unknown>): DeliveryLogEntry {
  return {
    eventId: row.event_id as string,
    type: row.event_type as string,
    outcome: row.state as DeliveryOutcome,
    attempt: row.attempts as number,
    statusCode: row.last_status_code as number | null,
    durationMs: row.last_duration_ms as number | null,
    error: row.last_error as string | null,
    attemptedAt: row.last_attempt_at as Date | null,
    nextAttemptAt: row.next_attempt_at as Date | null,
    createdAt: row.created_at as Date,
  };
}
