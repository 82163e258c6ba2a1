import {inject} from '@loopback/core';
import type {PoolClient} from 'pg';
import {PgDataSource} from '../datasources/pg.datasource';

export interface AttendeeRow {
  attendee: string;
  connectionIds: string[];
  joinedAt: Date | null;
  leftAt: Date | null;
  isPresent: boolean;
  extMetadata: unknown;
}

export interface AttendeeQuery {
  meetingId: number;
  /** true: present now; false: left; undefined: everyone. */
  active?: boolean;
  limit: number;
  offset: number;
}

/**
 * Presence is derived from per-connection facts (connected at / disconnected at),
 * so callbacks may arrive twice or in any order and the result is the same.
 */
export class AttendeeRepository {
  constructor(@inject('datasources.pg') private readonly dataSource: PgDataSource) {}

  /** Serialises presence updates of one attendee across transactions and replicas. */
  async lockAttendee(client: PoolClient, meetingId: number, attendee: string): Promise<void> {
    await client.query({name: 'vcs-lock-attendee', text: 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', values: [`attendee:${meetingId}:${attendee}`]});
  }

  async recordConnected(client: PoolClient, meetingId: number, connectionId: string, attendee: string, connectedAt: Date): Promise<void> {
    await client.query({
      name: 'vcs-connection-seen',
      text: `INSERT INTO attendee_connections (session_detail_id, connection_id, attendee, connected_at)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (session_detail_id, connection_id) DO UPDATE
         SET connected_at = LEAST(COALESCE(attendee_connections.connected_at, EXCLUDED.connected_at), EXCLUDED.connected_at)`,
      values: [meetingId, connectionId, attendee, connectedAt],
    });
  }

  async recordDisconnected(client: PoolClient, meetingId: number, connectionId: string, attendee: string, at: Date, reason: string | null): Promise<void> {
    await client.query({
      name: 'vcs-connection-gone',
      text: `INSERT INTO attendee_connections (session_detail_id, connection_id, attendee, disconnected_at, disconnect_reason)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (session_detail_id, connection_id) DO UPDATE
         SET disconnected_at = GREATEST(COALESCE(attendee_connections.disconnected_at, EXCLUDED.disconnected_at), EXCLUDED.disconnected_at),
             disconnect_reason = COALESCE(attendee_connections.disconnect_reason, EXCLUDED.disconnect_reason)`,
      values: [meetingId, connectionId, attendee, at, reason],
    });
  }

  /** The attendee a known connection belongs to (callbacks without connection data). */
  async attendeeOfConnection(client: PoolClient, meetingId: number, connectionId: string): Promise<string | null> {
    const result = await client.query('SELECT attendee FROM attendee_connections WHERE session_detail_id = $1 AND connection_id = $2', [meetingId, connectionId]);
    return (result.rows[0] as {attendee: string} | undefined)?.attendee ?? null;
  }

  /** Rebuilds the attendee's row from its connections; call under lockAttendee. */
  async refreshPresence(client: PoolClient, meetingId: number, attendee: string, extMetadata: unknown): Promise<void> {
    await client.query({
      name: 'vcs-refresh-presence',
      text: `INSERT INTO session_attendees AS sa (session_detail_id, attendee, connection_ids, is_present, joined_at, left_at, ext_metadata)
       SELECT $1, $2, c.live, cardinality(c.live) > 0, c.first_join,
              CASE WHEN cardinality(c.live) = 0 THEN c.last_leave END, $3::jsonb
         FROM (SELECT COALESCE(array_agg(connection_id ORDER BY connected_at, connection_id)
                        FILTER (WHERE connected_at IS NOT NULL AND disconnected_at IS NULL), '{}') AS live,
                      min(connected_at) AS first_join, max(disconnected_at) AS last_leave
                 FROM attendee_connections WHERE session_detail_id = $1 AND attendee = $2) c
       ON CONFLICT (session_detail_id, attendee) DO UPDATE
         SET connection_ids = EXCLUDED.connection_ids, is_present = EXCLUDED.is_present,
             joined_at = EXCLUDED.joined_at, left_at = EXCLUDED.left_at,
             ext_metadata = COALESCE(EXCLUDED.ext_metadata, sa.ext_metadata), modified_on = now()`,
      values: [meetingId, attendee, extMetadata === undefined ? null : JSON.stringify(extMetadata)],
    });
  }

  async attendeesWithOpenConnections(client: PoolClient, meetingId: number): Promise<string[]> {
    const result = await client.query(
      'SELECT DISTINCT attendee FROM attendee_connections WHERE session_detail_id = $1 AND disconnected_at IS NULL',
      [meetingId],
    );
    return (result.rows as Array<{attendee: string}>).map(r => r.attendee);
  }

  /** Marks every open connection of a meeting closed: the session itself ended. */
  async closeAllConnections(client: PoolClient, meetingId: number, at: Date, reason: string): Promise<void> {
    await client.query(
      `UPDATE attendee_connections SET disconnected_at = $2, disconnect_reason = $3
        WHERE session_detail_id = $1 AND disconnected_at IS NULL`,
      [meetingId, at, reason],
    );
  }

  async liveConnectionIds(meetingId: number): Promise<string[]> {
    const result = await this.dataSource.pool.query(
      'SELECT connection_id FROM attendee_connections WHERE session_detail_id = $1 AND connected_at IS NOT NULL AND disconnected_at IS NULL',
      [meetingId],
    );
    return (result.rows as Array<{connection_id: string}>).map(r => r.connection_id);
  }

  async list(query: AttendeeQuery): Promise<{total: number; items: AttendeeRow[]}> {
    const params: unknown[] = [query.meetingId];
    let filter = '';
    if (query.active !== undefined) {
      params.push(query.active);
      filter = ` AND is_present = $2`;
    }
    const pool = this.dataSource.pool;
    const pageParams = [...params, query.limit, query.offset];
    const [count, page] = await Promise.all([
      pool.query(`SELECT count(*)::int AS total FROM session_attendees WHERE session_detail_id = $1${filter}`, params),
      pool.query(
        `SELECT attendee, connection_ids, joined_at, left_at, is_present, ext_metadata FROM session_attendees
          WHERE session_detail_id = $1${filter}
          ORDER BY joined_at NULLS LAST, id LIMIT $${pageParams.length - 1} OFFSET $${pageParams.length}`,
        pageParams,
      ),
    ]);
    return {
      total: (count.rows[0] as {total: number}).total,
      items: (page.rows as Array<Record<string, unknown>>).map(row => ({
        attendee: row.attendee as string,
        connectionIds: row.connection_ids as string[],
        joinedAt: row.joined_at as Date | null,
        leftAt: row.left_at as Date | null,
        isPresent: row.is_present as boolean,
        extMetadata: row.ext_metadata ?? null,
      })),
    };
  }
}
