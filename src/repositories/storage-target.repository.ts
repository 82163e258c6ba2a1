import {inject} from '@loopback/core';
import {PgDataSource} from '../datasources/pg.datasource';
import type {StorageFallback, StorageType} from '../providers/storage/types';
import type {Transaction} from './transaction';

/** A stored target version: settings in clear, credentials only as ciphertext. */
export interface StoredStorageTarget {
  /** The version; archives uploaded under it refer to it. */
  id: number;
  type: StorageType;
  settings: Record<string, unknown>;
  secretsCiphertext: string;
  fallback: StorageFallback;
  providerApplied: boolean;
  modifiedBy: string | null;
  modifiedOn: Date;
}

const SCOPE = 'default';
const COLUMNS = 'id, type, settings, secrets_ciphertext, fallback, provider_applied, modified_by, modified_on';
const CURRENT = 'scope = $1 AND superseded_at IS NULL';

/**
 * The current target per scope, plus superseded versions that archives uploaded under them still
 * refer to: their credentials download and delete those archives.
 */
export class StorageTargetRepository {
  constructor(@inject('datasources.pg') private readonly dataSource: PgDataSource) {}

  async get(): Promise<StoredStorageTarget | null> {
    const result = await this.dataSource.pool.query(`SELECT ${COLUMNS} FROM storage_targets WHERE ${CURRENT}`, [SCOPE]);
    return result.rows[0] ? toStored(result.rows[0]) : null;
  }

  /** Any version, current or superseded. */
  async findById(id: number): Promise<StoredStorageTarget | null> {
    const result = await this.dataSource.pool.query(`SELECT ${COLUMNS} FROM storage_targets WHERE id = $1`, [id]);
    return result.rows[0] ? toStored(result.rows[0]) : null;
  }

  /**
   * The current target, for recording an upload in `tx`. The key-share lock keeps the row from
   * being pruned before the archive that refers to it commits (superseding it is still allowed).
   */
  async currentForUpload(tx: Transaction): Promise<StoredStorageTarget | null> {
    const result = await tx.client.query(`SELECT ${COLUMNS} FROM storage_targets WHERE ${CURRENT} FOR KEY SHARE`, [SCOPE]);
    return result.rows[0] ? toStored(result.rows[0]) : null;
  }

  /**
   * Makes `target` the current version in the caller's transaction (with its audit row); the previous
   * one is kept while archives refer to it (`pruneSuperseded` after the commit).
   */
  async save(target: Omit<StoredStorageTarget, 'id' | 'modifiedOn'>, tx: Transaction): Promise<void> {
    await this.supersedeCurrent(tx);
    await tx.client.query(
      `INSERT INTO storage_targets (scope, type, settings, secrets_ciphertext, fallback, provider_applied, created_by, modified_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
      [SCOPE, target.type, JSON.stringify(target.settings), target.secretsCiphertext, target.fallback, target.providerApplied, target.modifiedBy],
    );
  }

  /** No current target afterwards; true when there was one. */
  async remove(tx: Transaction): Promise<boolean> {
    return this.supersedeCurrent(tx);
  }

  /**
   * Deletes superseded versions no archive refers to. Best effort: an upload recorded meanwhile
   * makes the delete fail on the foreign key, and a later call retries.
   */
  async pruneSuperseded(): Promise<void> {
    try {
      await this.dataSource.pool.query(
        `DELETE FROM storage_targets t WHERE t.scope = $1 AND t.superseded_at IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM archives a WHERE a.storage_target_id = t.id)`,
        [SCOPE],
      );
    } catch (error) {
      if ((error as {code?: string}).code !== '23503') throw error;
    }
  }

  private async supersedeCurrent(tx: Transaction): Promise<boolean> {
    // Writers of one scope take turns: two saves at once would both insert a current row.
    await tx.client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`storage_targets:${SCOPE}`]);
    const result = await tx.client.query(`UPDATE storage_targets SET superseded_at = now() WHERE ${CURRENT}`, [SCOPE]);
    return result.rowCount === 1;
  }
}

function toStored(row: Record<string, unknown>): StoredStorageTarget {
  return {
    id: Number(row.id),
    type: row.type as StorageType,
    settings: row.settings as Record<string, unknown>,
    secretsCiphertext: row.secrets_ciphertext as string,
    fallback: row.fallback as StorageFallback,
    providerApplied: row.provider_applied as boolean,
    modifiedBy: (row.modified_by as string | null) ?? null,
    modifiedOn: row.modified_on as Date,
  };
}
