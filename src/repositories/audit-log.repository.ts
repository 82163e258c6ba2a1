import {inject} from '@loopback/core';
import {PgDataSource} from '../datasources/pg.datasource';
import {runnerOf, Transaction} from './transaction';

export interface AuditEntry {
  actor: string | null;
  action: string;
  entityType: 'meeting' | 'archive' | 'storage-target' | 'webhook-subscription' | 'lobby-request';
  entityId: string;
  before?: unknown;
  after?: unknown;
}

/** Who did what to which meeting, archive, storage target or webhook subscription. Never holds secrets. */
export class AuditLogRepository {
  constructor(@inject('datasources.pg') private readonly dataSource: PgDataSource) {}

  async record(entry: AuditEntry, tx?: Transaction): Promise<void> {
    await runnerOf(tx, this.dataSource.pool).query(
      'INSERT INTO audit_logs (actor, action, entity_type, entity_id, before, after) VALUES ($1, $2, $3, $4, $5, $6)',
      [entry.actor, entry.action, entry.entityType, entry.entityId, toJson(entry.before), toJson(entry.after)],
    );
  }
}

function toJson(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}
