import {inject} from '@loopback/core';
import type {PoolClient} from 'pg';
import {PgDataSource} from '../datasources/pg.datasource';

export type WebhookOutcome = 'processed' | 'not_supported' | 'unknown_attendee' | 'stale';

/** One row per callback occurrence; the unique dedupe key makes handling idempotent. */
export class WebhookEventRepository {
  constructor(@inject('datasources.pg') readonly dataSource: PgDataSource) {}

  /**
   * Claims the occurrence inside the caller's transaction. False means another
   * delivery already claimed it (concurrent duplicates wait on the unique index).
   */
  async claim(client: PoolClient, entry: {dedupeKey: string; eventType: string; sessionId: string | null; payload: unknown}): Promise<boolean> {
    const result = await client.query({
      name: 'vcs-claim-callback',
      text: `INSERT INTO webhook_events (dedupe_key, event_type, session_id, outcome, payload)
             VALUES ($1, $2, $3, 'processed', $4) ON CONFLICT (dedupe_key) DO NOTHING`,
      values: [entry.dedupeKey, entry.eventType, entry.sessionId, JSON.stringify(entry.payload)],
    });
    return result.rowCount === 1;
  }

  async setOutcome(client: PoolClient, dedupeKey: string, outcome: WebhookOutcome): Promise<void> {
    await client.query('UPDATE webhook_events SET outcome = $2 WHERE dedupe_key = $1', [dedupeKey, outcome]);
  }
}
