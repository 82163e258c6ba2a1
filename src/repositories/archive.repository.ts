import {inject} from '@loopback/core';
import {repository} from '@loopback/repository';
import {PgDataSource} from '../datasources/pg.datasource';
import type {StorageType} from '../providers/storage/types';
import {ARCHIVE_STATUS_RANK, ArchiveFile, ArchiveStatus} from '../providers/video/types';
import type {ArchiveUpdate} from '../providers/video/video-event';
import {OutboxRepository} from './outbox.repository';
import type {Transaction} from './transaction';

/** Where an uploaded archive lies, recorded when the provider reported the upload. */
export interface ArchiveLocation {
  kind: StorageType;
  /** Bucket (S3) or container (Azure). */
  container: string;
  endpoint: string | null;
  /** S3 only. */
  region: string | null;
  /** Azure storage account. */
  account: string | null;
  /** The storage target version whose credentials reach it; null once the stored copy is deleted. */
  targetId: number | null;
}

export interface ArchiveRecord {
  archiveId: string;
  meetingId: number | null;
  meetingLinkId: string | null;
  /** The provider of the archive's meeting. */
  provider: string | null;
  sessionId: string;
  status: ArchiveStatus;
  name: string | null;
  outputMode: 'composed' | 'individual';
  sizeBytes: number;
  durationSeconds: number;
  reason: string | null;
  createdAt: Date;
  url: string | null;
  uploadTarget: string | null;
  storageKey: string | null;
  /** Null when the upload's place was never known (no target configured, or uploaded before locations were recorded). */
  location: ArchiveLocation | null;
  /** The recording's files as last reported, without URLs; null where the provider makes one file. */
  files: StoredArchiveFile[] | null;
  providerDeleted: boolean;
  storageDeleted: boolean;
  deleted: boolean;
}

/** A file as recorded: its URL carries an access token, so it is fetched fresh, never stored. */
export type StoredArchiveFile = Omit<ArchiveFile, 'url'>;

export interface ArchiveFilter {
  meetingLinkId?: string;
  sessionId?: string;
  status?: ArchiveStatus;
  /** Only archives of meetings on this provider. */
  provider?: string;
  /** Only archives of this tenant's meetings (null: of meetings without a tenant). */
  tenantId: string | null;
  limit: number;
  offset: number;
}

/** A status only moves forward (ARCHIVE_STATUS_RANK, the neutral contract's order). */
const RANK_SQL = (column: string) =>
  `CASE ${column} ${Object.entries(ARCHIVE_STATUS_RANK)
    .map(([status, rank]) => `WHEN '${status}' THEN ${rank}`)
    .join(' ')} ELSE 0 END`;

/** The first report that names a place sets all of them together; later reports never move it. */
const LOCATION_COLUMNS = ['upload_target', 'storage_target_id', 'storage_container', 'storage_endpoint', 'storage_region', 'storage_account'];

const SELECT_COLUMNS = `a.archive_id, a.session_detail_id, m.meeting_link, a.session_id, a.status, a.name, a.output_mode,
  a.size_bytes, a.duration_seconds, a.reason, a.created_at, a.url, a.upload_target, a.storage_key,
  a.storage_target_id, a.storage_container, a.storage_endpoint, a.storage_region, a.storage_account, a.provider_deleted, a.storage_deleted, a.deleted, a.files, m.provider AS meeting_provider`;

export class ArchiveRepository {
  constructor(
    @inject('datasources.pg') private readonly dataSource: PgDataSource,
    @repository(OutboxRepository) private readonly outbox: OutboxRepository,
  ) {}

  /**
   * The one writer of an archive's state: inserts or advances it and, when its status changed,
   * records `archive.<status>`. Returns true when the row changed.
   */
  async applyStatus(
    tx: Transaction,
    change: {
      meetingId: number;
      sessionId: string;
      update: ArchiveUpdate;
      storage: {location: ArchiveLocation | null; storageKey: string | null};
      actor: string;
    },
  ): Promise<boolean> {
    const {meetingId, sessionId, update, storage} = change;
    const location = storage.location;
    // Locks the row (if any) so two callbacks of one archive see each other's status.
    const before = await tx.client.query('SELECT status FROM archives WHERE archive_id = $1 FOR UPDATE', [update.id]);
    const previous = (before.rows[0] as {status: ArchiveStatus} | undefined)?.status;
    const result = await tx.client.query(
      `INSERT INTO archives AS a (archive_id, session_detail_id, session_id, status, name, output_mode, size_bytes,
                                  duration_seconds, reason, created_at, url, upload_target, storage_key,
                                  storage_target_id, storage_container, storage_endpoint, storage_region, storage_account, files)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19::jsonb)
       ON CONFLICT (archive_id) DO UPDATE SET
         status = EXCLUDED.status, name = COALESCE(EXCLUDED.name, a.name), output_mode = EXCLUDED.output_mode,
         size_bytes = GREATEST(EXCLUDED.size_bytes, a.size_bytes), duration_seconds = GREATEST(EXCLUDED.duration_seconds, a.duration_seconds),
         reason = COALESCE(EXCLUDED.reason, a.reason), url = EXCLUDED.url,
         storage_key = COALESCE(a.storage_key, EXCLUDED.storage_key), files = COALESCE(EXCLUDED.files, a.files),
         ${LOCATION_COLUMNS.map(c => `${c} = CASE WHEN a.upload_target IS NULL THEN EXCLUDED.${c} ELSE a.${c} END`).join(', ')},
         modified_on = now()
       WHERE ${RANK_SQL('a.status')} <= ${RANK_SQL('EXCLUDED.status')} AND NOT a.deleted`,
      [
        update.id,
        meetingId,
        sessionId,
        update.status,
        update.name,
        update.outputMode,
        update.sizeBytes,
        Math.round(update.durationSeconds),
        update.reason,
        update.createdAt,
        update.url,
        location?.kind ?? null,
        storage.storageKey,
        location?.targetId ?? null,
        location?.container ?? null,
        location?.endpoint ?? null,
        location?.region ?? null,
        location?.account ?? null,
        update.files ? JSON.stringify(update.files.map(({url: _url, ...file}) => file)) : null,
      ],
    );
    const changed = (result.rowCount ?? 0) > 0;
    if (changed && previous !== update.status) {
      await this.outbox.record(tx, {
        type: `archive.${update.status}`,
        meetingId,
        actor: change.actor,
        data: {archiveId: update.id, status: update.status, ...(update.reason ? {reason: update.reason} : {})},
      });
    }
    return changed;
  }

  /**
   * The archive of one of our meetings: of the caller's tenant (null: of no tenant), or of any
   * tenant for the service's own jobs.
   */
  async findByArchiveId(archiveId: string, scope: {tenantId: string | null} | 'anyTenant'): Promise<ArchiveRecord | null> {
    const anyTenant = scope === 'anyTenant';
    const result = await this.dataSource.pool.query(
      `SELECT ${SELECT_COLUMNS} FROM archives a JOIN video_session_details m ON m.id = a.session_detail_id
        WHERE a.archive_id = $1 AND ($2 OR m.tenant_id IS NOT DISTINCT FROM $3)`,
      [archiveId, anyTenant, anyTenant ? null : scope.tenantId],
    );
    return result.rows[0] ? toRecord(result.rows[0]) : null;
  }

  /** Archives of this service's meetings only, newest first; `total` counts every match (see migration `listing-counts`). */
  async list(filter: ArchiveFilter): Promise<{total: number; items: ArchiveRecord[]}> {
    const where = ['NOT a.deleted', 'a.session_detail_id IS NOT NULL', 'm.tenant_id IS NOT DISTINCT FROM $1'];
    const params: unknown[] = [filter.tenantId];
    if (filter.meetingLinkId !== undefined) {
      params.push(filter.meetingLinkId);
      where.push(`m.meeting_link = $${params.length}`);
    }
    if (filter.sessionId !== undefined) {
      params.push(filter.sessionId);
      where.push(`a.session_id = $${params.length}`);
    }
    if (filter.status !== undefined) {
      params.push(filter.status);
      where.push(`a.status = $${params.length}`);
    }
    if (filter.provider !== undefined) {
      params.push(filter.provider);
      where.push(`m.provider = $${params.length}`);
    }
    const from = `FROM archives a JOIN video_session_details m ON m.id = a.session_detail_id WHERE ${where.join(' AND ')}`;
    // Without a meeting, session or provider filter the triggers' counts answer; within one meeting counting is cheap.
    const total =
      filter.meetingLinkId === undefined && filter.sessionId === undefined && filter.provider === undefined
        ? `SELECT COALESCE(sum(c.archives), 0) AS total FROM archive_counts c
            WHERE c.tenant = COALESCE($1::text, '')${filter.status === undefined ? '' : ` AND c.status = $${params.length}`}`
        : `SELECT count(*) AS total ${from}`;
    const pageParams = [...params, filter.limit, filter.offset];
    // One round trip: the total, and the page beside it (one row without an archive when the page is empty).
    const result = await this.dataSource.pool.query({
      // The text depends only on which filters are given: one prepared statement per combination.
      name: `vcs-archive-page-${filter.meetingLinkId === undefined ? '' : 'm'}${filter.sessionId === undefined ? '' : 's'}${filter.status === undefined ? '' : 't'}${filter.provider === undefined ? '' : 'p'}`,
      text: `SELECT t.total, p.* FROM (${total}) t
         LEFT JOIN LATERAL (SELECT ${SELECT_COLUMNS}, a.id ${from}
                             ORDER BY a.created_at DESC, a.id DESC LIMIT $${pageParams.length - 1} OFFSET $${pageParams.length}) p ON true
        ORDER BY p.created_at DESC, p.id DESC`,
      values: pageParams,
    });
    const rows = result.rows as Array<Record<string, unknown>>;
    return {total: Number(rows[0].total), items: rows.filter(row => row.archive_id !== null).map(toRecord)};
  }

  /** Archive ids of a meeting that may still be recording. */
  async recordingArchiveIds(meetingId: number): Promise<string[]> {
    const result = await this.dataSource.pool.query(
      `SELECT archive_id FROM archives WHERE session_detail_id = $1 AND status IN ('started', 'paused') AND NOT deleted`,
      [meetingId],
    );
    return (result.rows as Array<{archive_id: string}>).map(r => r.archive_id);
  }

  /**
   * Records how far a deletion got, so a retry finishes only what is left. A deleted stored copy
   * no longer needs its target's credentials: the reference goes, so superseded ones can be pruned.
   */
  async markDeletion(archiveId: string, progress: {providerDeleted?: boolean; storageDeleted?: boolean; deletedBy?: string}): Promise<void> {
    await this.dataSource.pool.query(
      `UPDATE archives SET provider_deleted = provider_deleted OR $2, storage_deleted = storage_deleted OR $3,
              storage_target_id = CASE WHEN $3 THEN NULL ELSE storage_target_id END,
              deleted_by = COALESCE($4, deleted_by), modified_on = now() WHERE archive_id = $1`,
      [archiveId, progress.providerDeleted ?? false, progress.storageDeleted ?? false, progress.deletedBy ?? null],
    );
  }

  /** Hides the archive once every copy is gone, and records `archive.deleted` in the same statement. */
  async markDeleted(archiveId: string, actor: string | null): Promise<boolean> {
    const result = await this.dataSource.pool.query(
      `WITH gone AS (
         UPDATE archives SET deleted = true, deleted_at = now(), status = 'deleted', url = NULL, modified_on = now()
          WHERE archive_id = $1 AND NOT deleted RETURNING session_detail_id)
       SELECT record_outbox_event('archive.deleted', gone.session_detail_id, $2, jsonb_build_object('archiveId', $1::text), now()) FROM gone`,
      [archiveId, actor],
    );
    return result.rowCount === 1;
  }
}

function toRecord(row: Record<string, unknown>): ArchiveRecord {
  return {
    archiveId: row.archive_id as string,
    meetingId: row.session_detail_id === null ? null : Number(row.session_detail_id),
    meetingLinkId: (row.meeting_link as string | null) ?? null,
    provider: (row.meeting_provider as string | null) ?? null,
    sessionId: row.session_id as string,
    status: row.status as ArchiveStatus,
    name: (row.name as string | null) ?? null,
    outputMode: row.output_mode === 'individual' ? 'individual' : 'composed',
    sizeBytes: Number(row.size_bytes),
    durationSeconds: Number(row.duration_seconds),
    reason: (row.reason as string | null) ?? null,
    createdAt: row.created_at as Date,
    url: (row.url as string | null) ?? null,
    uploadTarget: (row.upload_target as string | null) ?? null,
    storageKey: (row.storage_key as string | null) ?? null,
    location: toLocation(row),
    files: (row.files as StoredArchiveFile[] | null) ?? null,
    providerDeleted: row.provider_deleted as boolean,
    storageDeleted: row.storage_deleted as boolean,
    deleted: row.deleted as boolean,
  };
}

function toLocation(row: Record<string, unknown>): ArchiveLocation | null {
  if (!row.upload_target || !row.storage_container) return null;
  return {
    kind: row.upload_target as StorageType,
    container: row.storage_container as string,
    endpoint: (row.storage_endpoint as string | null) ?? null,
    region: (row.storage_region as string | null) ?? null,
    account: (row.storage_account as string | null) ?? null,
    targetId: row.storage_target_id === null || row.storage_target_id === undefined ? null : Number(row.storage_target_id),
  };
}
