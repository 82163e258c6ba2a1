import {inject} from '@loopback/core';
import {PgDataSource} from '../datasources/pg.datasource';
import {runnerOf, Transaction} from './transaction';

export type SubscriptionStatus = 'ACTIVE' | 'PAUSED';
export type MetadataPolicy = 'NONE' | 'HEADER' | 'BODY';

/** A subscription as stored: its signing keys only as ciphertext. */
export interface StoredSubscription {
  id: string;
  /** The owner's tenant; '' for callers without one. */
  tenant: string;
  url: string;
  events: string[];
  signingAlgo: string;
  keyCiphertext: string;
  keyVersion: number;
  metadataPolicy: MetadataPolicy;
  status: SubscriptionStatus;
  description: string | null;
  expireAt: Date;
  purgeAt: Date;
  renewedAt: Date | null;
  pausedAt: Date | null;
  failed: boolean;
  totalAttempts: number;
  totalSuccesses: number;
  totalFailures: number;
  createdBy: string | null;
  createdOn: Date;
  modifiedOn: Date;
}

export interface NewSubscription {
  tenant: string;
  url: string;
  events: string[];
  signingAlgo: string;
  keyCiphertext: string;
  metadataPolicy: MetadataPolicy;
  description: string | null;
  expireAt: Date;
  purgeAt: Date;
  createdBy: string;
}

/** What PATCH may change; absent fields stay. */
export interface SubscriptionChanges {
  url?: string;
  events?: string[];
  metadataPolicy?: MetadataPolicy;
  status?: SubscriptionStatus;
  description?: string | null;
}

const COLUMNS = `id, tenant, url, events, signing_algo, key_ciphertext, key_version, metadata_policy, status, description, expire_at, purge_at,
  renewed_at, paused_at, failed, total_attempts, total_successes, total_failures, created_by, created_on, modified_on`;

/** Subscriptions per tenant; every statement is scoped by the caller's tenant. */
export class WebhookSubscriptionRepository {
  constructor(@inject('datasources.pg') private readonly dataSource: PgDataSource) {}

  async create(subscription: NewSubscription, tx: Transaction): Promise<StoredSubscription> {
    const s = subscription;
    const result = await tx.client.query(
      `INSERT INTO webhook_subscriptions (tenant, url, events, signing_algo, key_ciphertext, metadata_policy, description, expire_at, purge_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
      [s.tenant, s.url, s.events, s.signingAlgo, s.keyCiphertext, s.metadataPolicy, s.description, s.expireAt, s.purgeAt, s.createdBy],
    );
    return toStored(result.rows[0]);
  }

  async find(id: string, tenant: string, tx?: Transaction): Promise<StoredSubscription | null> {
    const lock = tx ? ' FOR UPDATE' : '';
    const result = await runnerOf(tx, this.dataSource.pool).query(`SELECT ${COLUMNS} FROM webhook_subscriptions WHERE id = $1 AND tenant = $2${lock}`, [
      id,
      tenant,
    ]);
    return result.rows[0] ? toStored(result.rows[0]) : null;
  }

  /** Newest first, with the total for `X-Total-Count`. */
  async list(tenant: string, page: {limit: number; offset: number}): Promise<{count: number; items: StoredSubscription[]}> {
    const pool = this.dataSource.pool;
    const [items, total] = await Promise.all([
      pool.query(`SELECT ${COLUMNS} FROM webhook_subscriptions WHERE tenant = $1 ORDER BY created_on DESC, id LIMIT $2 OFFSET $3`, [
        tenant,
        page.limit,
        page.offset,
      ]),
      pool.query('SELECT count(*)::int AS count FROM webhook_subscriptions WHERE tenant = $1', [tenant]),
    ]);
    return {count: total.rows[0].count as number, items: items.rows.map(toStored)};
  }

  /** Applies `changes`; a pause records when it began, a re-activation clears the failure flag. */
  async update(id: string, changes: SubscriptionChanges, tx: Transaction): Promise<StoredSubscription> {
    const result = await tx.client.query(
      `UPDATE webhook_subscriptions SET
         url = COALESCE($2, url), events = COALESCE($3, events), metadata_policy = COALESCE($4, metadata_policy),
         description = CASE WHEN $6 THEN $5 ELSE description END,
         paused_at = CASE WHEN $7::text = 'PAUSED' AND status = 'ACTIVE' THEN now() WHEN $7::text = 'ACTIVE' THEN NULL ELSE paused_at END,
         failed = CASE WHEN $7::text = 'ACTIVE' THEN false ELSE failed END,
         failing_since = CASE WHEN $7::text = 'ACTIVE' THEN NULL ELSE failing_since END,
         status = COALESCE($7, status), modified_on = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [
        id,
        changes.url ?? null,
        changes.events ?? null,
        changes.metadataPolicy ?? null,
        changes.description ?? null,
        'description' in changes,
        changes.status ?? null,
      ],
    );
    return toStored(result.rows[0]);
  }

  async renew(id: string, expireAt: Date, purgeAt: Date, tx: Transaction): Promise<StoredSubscription> {
    const result = await tx.client.query(
      `UPDATE webhook_subscriptions SET expire_at = $2, purge_at = $3, renewed_at = now(), modified_on = now() WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, expireAt, purgeAt],
    );
    return toStored(result.rows[0]);
  }

  /** The new key signs from now on; the current one keeps signing beside it until `overlapUntil`. */
  async rotateKey(id: string, keyCiphertext: string, overlapUntil: Date, tx: Transaction): Promise<StoredSubscription> {
    const result = await tx.client.query(
      `UPDATE webhook_subscriptions SET previous_key_ciphertext = key_ciphertext, previous_key_until = $3, key_ciphertext = $2,
         key_version = key_version + 1, modified_on = now() WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, keyCiphertext, overlapUntil],
    );
    return toStored(result.rows[0]);
  }

  async delete(id: string, tx: Transaction): Promise<void> {
    await tx.client.query('DELETE FROM webhook_subscriptions WHERE id = $1', [id]);
  }

  /** Deletes subscriptions past their purge date; their delivery log goes with them (cascade). */
  async purgeDue(now: Date): Promise<number> {
    const result = await this.dataSource.pool.query('DELETE FROM webhook_subscriptions WHERE purge_at <= $1', [now]);
    return result.rowCount ?? 0;
  }
}

function toStored(row: Record<string, unknown>): StoredSubscription {
  return {
    id: row.id as string,
    tenant: row.tenant as string,
    url: row.url as string,
    events: row.events as string[],
    signingAlgo: row.signing_algo as string,
    keyCiphertext: row.key_ciphertext as string,
    keyVersion: row.key_version as number,
    metadataPolicy: row.metadata_policy as MetadataPolicy,
    status: row.status as SubscriptionStatus,
    description: row.description as string | null,
    expireAt: row.expire_at as Date,
    purgeAt: row.purge_at as Date,
    renewedAt: row.renewed_at as Date | null,
    pausedAt: row.paused_at as Date | null,
    failed: row.failed as boolean,
    totalAttempts: Number(row.total_attempts),
    totalSuccesses: Number(row.total_successes),
    totalFailures: Number(row.total_failures),
    createdBy: row.created_by as string | null,
    createdOn: row.created_on as Date,
    modifiedOn: row.modified_on as Date,
  };
}
