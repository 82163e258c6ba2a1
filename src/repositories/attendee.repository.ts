import {inject} from '@loopback/core';
import type {Pool, PoolClient} from 'pg';
import {PgDataSource} from '../datasources/pg.datasource';
import type {CallbackClaim} from './webhook-event.repository';

export interface AttendeeRow {
  attendee: string;
  connectionIds: string[];
  joinedAt: Date | null;
  leftAt: Date | null;
  isPresent: boolean;
  extMetadata: unknown;
}

/** One connection appearing (`connected`) or going away, for one attendee of one meeting. */
export interface ConnectionFact {
  meetingId: number;
  attendee: string;
  connectionId: string;
  connected: boolean;
  at: Date;
  reason: string | null;
  /** Replaces the attendee's metadata when given. */
  extMetadata?: unknown;
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

  /** The attendee a known connection belongs to (callbacks without connection data). */
  async attendeeOfConnection(client: PoolClient | Pool, meetingId: number, connectionId: string): Promise<string | null> {
    const result = await client.query('SELECT attendee FROM attendee_connections WHERE session_detail_id = $1 AND connection_id = $2', [meetingId, connectionId]);
    return (result.rows[0] as {attendee: string} | undefined)?.attendee ?? null;
  }

  /** Rebuilds the attendee's row from its connections; call under lockAttendee. */
  async refreshPresence(client: PoolClient, meetingId: number, attendee: string, extMetadata: unknown): Promise<void> {
    await client.query({
      name: 'vcs-refresh-presence',
      text: 'SELECT refresh_attendee_presence($1, $2, $3::jsonb)',
      values: [meetingId, attendee, extMetadata === undefined ? null : JSON.stringify(extMetadata)],
    });
  }

  /**
   * Claims a connection callback, records its fact and rebuilds the attendee's presence
   * in one round trip and one transaction (migration `connection-callback-function`).
   * False when another delivery already claimed the callback.
   */
  async recordConnectionEvent(claim: CallbackClaim, fact: ConnectionFact): Promise<boolean> {
    const result = await this.dataSource.pool.query({
      name: 'vcs-record-connection-event',
      text: 'SELECT record_connection_event($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10, $11::jsonb) AS claimed',
      values: [
        claim.dedupeKey,
        claim.eventType,
        claim.sessionId,
        claim.payloadJson,
        fact.meetingId,
        fact.attendee,
        fact.connectionId,
        fact.connected,
        fact.at,
        fact.reason,
        fact.extMetadata === undefined ? null : JSON.stringify(fact.extMetadata),
      ],
    });
    return (result.rows[0] as {claimed: boolean}).claimed;
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

  /** One page in join order; `total` counts every match, read from the counts the triggers keep. */
  async list(query: AttendeeQuery): Promise<{total: number; items: AttendeeRow[]}> {
    const variant = query.active === undefined ? 'all' : query.active ? 'present' : 'absent';
    const pool = this.dataSource.pool;
    const [count, page] = await Promise.all([
      pool.query({name: `vcs-attendee-count-${variant}`, text: ATTENDEE_COUNTS[variant], values: [query.meetingId]}),
      pool.query({
        name: `vcs-attendee-page-${variant}`,
        text: `SELECT attendee, connection_ids, joined_at, left_at, is_present, ext_metadata FROM session_attendees
                WHERE session_detail_id = $1${variant === 'all' ? '' : ` AND is_present = ${variant === 'present'}`}
                ORDER BY joined_at NULLS LAST, id LIMIT $2 OFFSET $3`,
        values: [query.meetingId, query.limit, query.offset],
      }),
    ]);
    return {
      total: Number((count.rows[0] as {total: string}).total),
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

/** Sums of the striped counts `session_attendee_counts` (see its migration). */
const ATTENDEE_COUNTS = {
  all: 'SELECT COALESCE(sum(attendees), 0) AS total FROM session_attendee_counts WHERE session_detail_id = $1',
  present: 'SELECT COALESCE(sum(present), 0) AS total FROM session_attendee_counts WHERE session_detail_id = $1',
  absent: 'SELECT COALESCE(sum(attendees - present), 0) AS total FROM session_attendee_counts WHERE session_detail_id = $1',
};
