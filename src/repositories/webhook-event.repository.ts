import {inject} from '@loopback/core';
import {PgDataSource} from '../datasources/pg.datasource';
import {storableText} from '../utils/safe-text';
import {isUnstorableValue, runnerOf, Transaction} from './transaction';

/** `rejected`: verified, but the database cannot store what it says (the reason is kept with it). */
export type WebhookOutcome = 'processed' | 'not_supported' | 'unknown_attendee' | 'stale' | 'rejected';

/** What claiming a callback occurrence records. */
export interface CallbackClaim {
  dedupeKey: string;
  eventType: string;
  sessionId: string | null;
  /** The callback body, JSON text. */
  payloadJson: string;
}

/** One row per callback occurrence; the unique dedupe key makes handling idempotent. */
export class WebhookEventRepository {
  constructor(@inject('datasources.pg') private readonly dataSource: PgDataSource) {}

  /**
   * Claims the occurrence inside the caller's transaction (or on its own when nothing else
   * changes). False means another delivery already claimed it (concurrent duplicates wait on
   * the unique index).
   */
  async claim(tx: Transaction | undefined, entry: CallbackClaim, outcome: WebhookOutcome = 'processed'): Promise<boolean> {
    const result = await runnerOf(tx, this.dataSource.pool).query({
      name: 'vcs-claim-callback',
      text: `INSERT INTO webhook_events (dedupe_key, event_type, session_id, outcome, payload)
             VALUES ($1, $2, $3, $5, $4) ON CONFLICT (dedupe_key) DO NOTHING`,
      values: [entry.dedupeKey, entry.eventType, entry.sessionId, entry.payloadJson, outcome],
    });
    return result.rowCount === 1;
  }

  /**
   * Records a callback that cannot be applied because the database refuses a value in it, with the
   * reason. Keeps what can be kept: text with NULs and unpaired surrogates replaced, the payload
   * likewise, or none when even that is refused. False when the occurrence was already recorded.
   */
  async recordRejected(entry: CallbackClaim, reason: string): Promise<boolean> {
    const payload = storablePayload(entry.payloadJson);
    const insert = (payloadJson: string | null) =>
      this.dataSource.pool.query(
        `INSERT INTO webhook_events (dedupe_key, event_type, session_id, outcome, payload, reason)
         VALUES ($1, $2, $3, 'rejected', $4, $5) ON CONFLICT (dedupe_key) DO NOTHING`,
        [entry.dedupeKey, storableText(entry.eventType), entry.sessionId === null ? null : storableText(entry.sessionId), payloadJson, storableText(reason)],
      );
    try {
      return (await insert(payload)).rowCount === 1;
    } catch (error) {
      if (payload === null || !isUnstorableValue(error)) throw error;
      return (await insert(null)).rowCount === 1;
    }
  }

  /** Deletes records received before the cutoff, in batches so no long lock is held; returns how many. */
  async pruneOlderThan(cutoff: Date, batchSize = 5000): Promise<number> {
    let removed = 0;
    for (;;) {
      const result = await this.dataSource.pool.query(
        'DELETE FROM webhook_events WHERE id IN (SELECT id FROM webhook_events WHERE received_at < $1 LIMIT $2)',
        [cutoff, batchSize],
      );
      removed += result.rowCount ?? 0;
      if ((result.rowCount ?? 0) < batchSize) return removed;
    }
  }

  async setOutcome(tx: Transaction, dedupeKey: string, outcome: WebhookOutcome): Promise<void> {
    await tx.client.query('UPDATE webhook_events SET outcome = $2 WHERE dedupe_key = $1', [dedupeKey, outcome]);
  }
}

function storablePayload(payloadJson: string): string | null {
  try {
    return JSON.stringify(JSON.parse(payloadJson, (_key, value: unknown) => (typeof value === 'string' ? storableText(value) : value)));
  } catch {
    return null;
  }
}
