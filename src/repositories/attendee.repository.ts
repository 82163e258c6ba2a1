import {inject} from '@loopback/core';
import {repository} from '@loopback/repository';
import {PgDataSource} from '../datasources/pg.datasource';
import {OutboxRepository} from './outbox.repository';
import type {Transaction} from './transaction';
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
  /** A media id of the connection to keep (a Vonage stream: moderation mutes by media). */
  mediaId?: string;
}

export interface AttendeeQuery {
  meetingLink: string;
  /** true: present now; false: left; undefined: everyone. */
  active?: boolean;
  /** Only a meeting of this tenant (null: of no tenant) is listed. */
  tenantId: string | null;
  limit: number;
  offset: number;
}

/** How one presence change moved the attendee: absent → present, present → absent, or neither. */
export type PresenceTransition = 'joined' | 'left' | 'none';

/** What recording one connection callback did. */
export interface RecordedConnection {
  transition: PresenceTransition | 'duplicate';
  /** Set when this departure left an open meeting that ends when empty with nobody: its `endWhenEmptyMinutes`. */
  emptiedForMinutes: number | null;
}

/**
 * Presence is derived from per-connection facts (connected at / disconnected at),
 * so callbacks may arrive twice or in any order and the result is the same.
 * Every transition records its outbox event in the same transaction.
 */
export class AttendeeRepository {
  constructor(
    @inject('datasources.pg') private readonly dataSource: PgDataSource,
    @repository(OutboxRepository) private readonly outbox: OutboxRepository,
  ) {}

  /** The attendee a known connection belongs to (callbacks without the attendee's identity). */
  async attendeeOfConnection(meetingId: number, connectionId: string): Promise<string | null> {
    const result = await this.dataSource.pool.query({
      name: 'vcs-attendee-of-connection',
      text: 'SELECT attendee FROM attendee_connections WHERE session_detail_id = $1 AND connection_id = $2',
      values: [meetingId, connectionId],
    });
    return (result.rows[0] as {attendee: string} | undefined)?.attendee ?? null;
  }

  /**
   * Claims a connection callback, records its fact, rebuilds the attendee's presence and writes the
   * transition's events in one round trip and one transaction (SQL `record_connection_event`).
   * 'duplicate' when another delivery already claimed the callback.
   */
  async recordConnectionEvent(claim: CallbackClaim, fact: ConnectionFact, actor: string): Promise<RecordedConnection> {
    const result = await this.dataSource.pool.query({
      name: 'vcs-record-connection-event',
      text: 'SELECT record_connection_event($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13) AS transition',
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
        actor,
        fact.mediaId ?? null,
      ],
    });
    const transition = (result.rows[0] as {transition: string}).transition;
    // 'emptied:<minutes>' is a departure that left a meeting ending when empty with nobody (see its migration).
    if (transition.startsWith('emptied:')) return {transition: 'left', emptiedForMinutes: Number(transition.slice('emptied:'.length))};
    return {transition: transition as PresenceTransition | 'duplicate', emptiedForMinutes: null};
  }

  /**
   * The session itself ended: every open connection closes, and each attendee still present leaves
   * (with its event). Locks attendees in a fixed order, as connection callbacks do, so the two never
   * deadlock. Returns the attendees who left.
   */
  async closeAllConnections(tx: Transaction, meetingId: number, end: {at: Date; reason: string; actor: string}): Promise<string[]> {
    const open = await tx.client.query(
      'SELECT DISTINCT attendee FROM attendee_connections WHERE session_detail_id = $1 AND disconnected_at IS NULL ORDER BY attendee',
      [meetingId],
    );
    const affected = (open.rows as Array<{attendee: string}>).map(r => r.attendee);
    for (const attendee of affected) {
      await tx.client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`attendee:${meetingId}:${attendee}`]);
    }
    const present = await tx.client.query('SELECT attendee FROM session_attendees WHERE session_detail_id = $1 AND is_present', [meetingId]);
    const wasPresent = new Set((present.rows as Array<{attendee: string}>).map(r => r.attendee));
    await tx.client.query(
      `UPDATE attendee_connections SET disconnected_at = $2, disconnect_reason = $3
        WHERE session_detail_id = $1 AND disconnected_at IS NULL`,
      [meetingId, end.at, end.reason],
    );
    const left: string[] = [];
    for (const attendee of affected) {
      const refreshed = await tx.client.query('SELECT refresh_attendee_presence($1, $2, NULL) AS present', [meetingId, attendee]);
      if (wasPresent.has(attendee) && !(refreshed.rows[0] as {present: boolean}).present) left.push(attendee);
    }
    for (const attendee of left) {
      await this.outbox.record(tx, {type: 'attendee.left', meetingId, actor: end.actor, data: {attendee, reason: end.reason}, occurredAt: end.at});
    }
    return left;
  }

  /** Connections our records still hold open (ending a meeting closes them at the provider too). */
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
      values: [query.meetingLink, query.limit, query.offset, query.tenantId],
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
      WHERE m.meeting_link = $1 AND m.tenant_id IS NOT DISTINCT FROM $4 AND NOT m.deleted`,
  ]),
) as Record<'all' | 'present' | 'absent', string>;
