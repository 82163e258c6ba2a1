import {inject} from '@loopback/core';
import {PgDataSource} from '../datasources/pg.datasource';

/** An event of the log as the API shows it. */
export interface LoggedEvent {
  id: string;
  type: string;
  timestamp: Date;
  meetingLinkId: string | null;
  actor: string | null;
  data: Record<string, unknown>;
}

export interface EventFilter {
  /** The caller's tenant; '' for callers without one. */
  tenant: string;
  types?: string[];
  meetingLinkId?: string;
  since?: Date;
  until?: Date;
}

const COLUMNS = 'event_id, type, occurred_at, meeting_link, actor, data';
/** Matches the expression index `outbox_events_tenant_time_idx`. */
const TENANT = "COALESCE(tenant_id, '') = $1";

/** Reads of the outbox as the tenant's event log, and its retention. */
export class EventLogRepository {
  constructor(@inject('datasources.pg') private readonly dataSource: PgDataSource) {}

  /** Newest first. */
  async list(filter: EventFilter, page: {limit: number; offset: number}): Promise<LoggedEvent[]> {
    const {where, values} = whereOf(filter);
    const result = await this.dataSource.pool.query(
      `SELECT ${COLUMNS} FROM outbox_events WHERE ${where} ORDER BY occurred_at DESC, id DESC LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
      [...values, page.limit, page.offset],
    );
    return result.rows.map(toEvent);
  }

  async count(filter: EventFilter): Promise<number> {
    const {where, values} = whereOf(filter);
    const result = await this.dataSource.pool.query(`SELECT count(*)::int AS count FROM outbox_events WHERE ${where}`, values);
    return result.rows[0].count as number;
  }

  async find(eventId: string, tenant: string): Promise<LoggedEvent | null> {
    const result = await this.dataSource.pool.query(`SELECT ${COLUMNS} FROM outbox_events WHERE event_id = $2 AND ${TENANT}`, [tenant, eventId]);
    return result.rows[0] ? toEvent(result.rows[0]) : null;
  }

  /**
   * Deletes events recorded before `cutoff` (their deliveries go with them), in batches so no one
   * statement holds locks for long. Returns how many were deleted.
   */
  async pruneOlderThan(cutoff: Date, batchSize = 5000): Promise<number> {
    let removed = 0;
    for (;;) {
      const result = await this.dataSource.pool.query(
        'DELETE FROM outbox_events WHERE id IN (SELECT id FROM outbox_events WHERE recorded_at < $1 ORDER BY recorded_at LIMIT $2)',
        [cutoff, batchSize],
      );
      removed += result.rowCount ?? 0;
      if ((result.rowCount ?? 0) < batchSize) return removed;
    }
  }
}

function whereOf(filter: EventFilter): {where: string; values: unknown[]} {
  const conditions = [TENANT];
  const values: unknown[] = [filter.tenant];
  const add = (condition: (n: string) => string, value: unknown) => {
    values.push(value);
    conditions.push(condition(`$${values.length}`));
  };
  if (filter.types?.length) add(n => `type = ANY(${n}::text[])`, filter.types);
  if (filter.meetingLinkId !== undefined) add(n => `meeting_link = ${n}`, filter.meetingLinkId);
  if (filter.since) add(n => `occurred_at >= ${n}`, filter.since);
  if (filter.until) add(n => `occurred_at <= ${n}`, filter.until);
  return {where: conditions.join(' AND '), values};
}

function toEvent(row: Record<string, unknown>): LoggedEvent {
  return {
    id: row.event_id as string,
    type: row.type as string,
    timestamp: row.occurred_at as Date,
    meetingLinkId: row.meeting_link as string | null,
    actor: row.actor as string | null,
    data: row.data as Record<string, unknown>,
  };
}
