import {inject} from '@loopback/core';
import {PgDataSource} from '../datasources/pg.datasource';
import type {StorageFallback, StorageType} from '../providers/storage/types';
import {Queryable, runnerOf, Transaction} from './transaction';

/** The stored target: settings in clear, credentials only as ciphertext. */
export interface StoredStorageTarget {
  type: StorageType;
  settings: Record<string, unknown>;
  secretsCiphertext: string;
  fallback: StorageFallback;
  providerApplied: boolean;
  modifiedBy: string | null;
  modifiedOn: Date;
}

const SCOPE = 'default';

export class StorageTargetRepository {
  constructor(@inject('datasources.pg') private readonly dataSource: PgDataSource) {}

  async get(): Promise<StoredStorageTarget | null> {
    const result = await this.dataSource.pool.query(
      'SELECT type, settings, secrets_ciphertext, fallback, provider_applied, modified_by, modified_on FROM storage_targets WHERE scope = $1',
      [SCOPE],
    );
    const row = result.rows[0] as Record<string, unknown> | undefined;
    if (!row) return null;
    return {
      type: row.type as StorageType,
      settings: row.settings as Record<string, unknown>,
      secretsCiphertext: row.secrets_ciphertext as string,
      fallback: row.fallback as StorageFallback,
      providerApplied: row.provider_applied as boolean,
      modifiedBy: (row.modified_by as string | null) ?? null,
      modifiedOn: row.modified_on as Date,
    };
  }

  /** The configured target's type; credentials stay sealed. */
  async currentType(runner: Queryable = this.dataSource.pool): Promise<StorageType | null> {
    const result = await runner.query('SELECT type FROM storage_targets WHERE scope = $1', [SCOPE]);
    return (result.rows[0] as {type: StorageType} | undefined)?.type ?? null;
  }

  /**
   * Where an archive the provider reports as `uploaded` lies: the configured target's type and
   * the object key the provider wrote. Nothing for other statuses.
   */
  async uploadLocation(
    tx: Transaction | undefined,
    archive: {status: string; objectKey: string | null},
  ): Promise<{uploadTarget: StorageType | null; storageKey: string | null}> {
    if (archive.status !== 'uploaded' || !archive.objectKey) return {uploadTarget: null, storageKey: null};
    return {uploadTarget: await this.currentType(runnerOf(tx, this.dataSource.pool)), storageKey: archive.objectKey};
  }

  async save(target: Omit<StoredStorageTarget, 'modifiedOn'>, tx?: Transaction): Promise<void> {
    await runnerOf(tx, this.dataSource.pool).query(
      `INSERT INTO storage_targets (scope, type, settings, secrets_ciphertext, fallback, provider_applied, created_by, modified_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
       ON CONFLICT (scope) DO UPDATE SET type = EXCLUDED.type, settings = EXCLUDED.settings,
         secrets_ciphertext = EXCLUDED.secrets_ciphertext, fallback = EXCLUDED.fallback,
         provider_applied = EXCLUDED.provider_applied, modified_by = EXCLUDED.modified_by, modified_on = now()`,
      [SCOPE, target.type, JSON.stringify(target.settings), target.secretsCiphertext, target.fallback, target.providerApplied, target.modifiedBy],
    );
  }

  async remove(tx?: Transaction): Promise<boolean> {
    const result = await runnerOf(tx, this.dataSource.pool).query('DELETE FROM storage_targets WHERE scope = $1', [SCOPE]);
    return result.rowCount === 1;
  }
}
