import {inject} from '@loopback/core';
import type {Pool, PoolClient} from 'pg';
import {PgDataSource} from '../datasources/pg.datasource';
import type {CallbackClaim} from './webhook-event.repository';

/** One attendee as listings show it (items of `AttendeePage.itemsJson`). */
export interface AttendeeRow {
  attendee: string;
  connectionIds: string[];
  joinedAt: Date | null;
  leftAt: Date | null;
  isPresent: boolean;
  extMetadata: unknown;
}

export interface AttendeePage {
  total: number;
  /** The page's attendees, a JSON array of `AttendeeRow`s with timestamps as ISO strings, written as it is. */
  itemsJson: string;
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
  meetingLink: string;
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

  /**
   * One page of a meeting's attendees in join order, and how many match in all (from the counts the triggers keep),
   * in one round trip; null when no live meeting has the link. PostgreSQL serialises the page: parsing a hundred
   * rows into objects and serialising them again took the service more time than the rest of the request.
   */
  async pageOfMeeting(query: AttendeeQuery): Promise<AttendeePage | null> {
    const variant = query.active === undefined ? 'all' : query.active ? 'present' : 'absent';
    const result = await this.dataSource.pool.query({
      name: `vcs-attendee-page-${variant}`,
      text: ATTENDEE_PAGE[variant],
      values: [query.meetingLink, query.limit, query.offset],
    });
    const row = result.rows[0] as {total: string; items: string} | undefined;
    return row ? {total: Number(row.total), itemsJson: row.items} : null;
  }
}

const TOTALS = {
  all: 'sum(attendees)',
  present: 'sum(present)',
  absent: 'sum(attendees - present)',
};

/** A timestamp as `Date.prototype.toJSON` writes it: UTC, milliseconds (truncated, as a JavaScript Date keeps them). */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The meeting, its total from the striped counts `session_attendee_counts` (see its migration) and the page as a
 * JSON array of `AttendeeRow`s, as one statement per filter.
 */
const ATTENDEE_PAGE = Object.fromEntries(
  (['all', 'present', 'absent'] as const).map(variant => [
    variant,
    `SELECT t.total, p.items
       FROM video_session_details m
      CROSS JOIN LATERAL (SELECT COALESCE(${TOTALS[variant]}, 0) AS total FROM session_attendee_counts c
                           WHERE c.session_detail_id = m.id) t
      CROSS JOIN LATERAL (
        SELECT '[' || COALESCE(string_agg(a.item::text, ',' ORDER BY a.joined_at NULLS LAST, a.id), '') || ']' AS items
          FROM (SELECT sa.joined_at, sa.id,
                       (SELECT row_to_json(i) FROM (SELECT sa.attendee, sa.connection_ids AS "connectionIds",
                               ${iso('sa.joined_at')} AS "joinedAt", ${iso('sa.left_at')} AS "leftAt",
                               sa.is_present AS "isPresent", sa.ext_metadata AS "extMetadata") i) AS item
                  FROM session_attendees sa
                 WHERE sa.session_detail_id = m.id${variant === 'all' ? '' : ` AND sa.is_present = ${variant === 'present'}`}
                 ORDER BY sa.joined_at NULLS LAST, sa.id LIMIT $2 OFFSET $3) a) p
      WHERE m.meeting_link = $1 AND NOT m.deleted`,
  ]),
) as Record<'all' | 'present' | 'absent', string>;
