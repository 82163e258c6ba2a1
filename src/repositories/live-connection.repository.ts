import {inject} from '@loopback/core';
import {PgDataSource} from '../datasources/pg.datasource';
import type {ConnectionFact, PresenceTransition} from './attendee.repository';
import {runnerOf, Transaction} from './transaction';

/** One connection our records hold open, with the media it published. */
export interface OpenConnection {
  attendee: string;
  connectionId: string;
  mediaIds: string[];
  connectedAt: Date;
}

/** Live connections as moderation and presence reconciliation see them; bans. */
export class LiveConnectionRepository {
  constructor(@inject('datasources.pg') private readonly dataSource: PgDataSource) {}

  /** Open connections of a meeting, or of one attendee of it. */
  async openConnections(meetingId: number, attendee?: string): Promise<OpenConnection[]> {
    const result = await this.dataSource.pool.query(
      `SELECT attendee, connection_id, media_ids, connected_at FROM attendee_connections
        WHERE session_detail_id = $1 AND ($2::text IS NULL OR attendee = $2)
          AND connected_at IS NOT NULL AND disconnected_at IS NULL
        ORDER BY connected_at, connection_id`,
      [meetingId, attendee ?? null],
    );
    return (result.rows as Array<Record<string, unknown>>).map(row => ({
      attendee: row.attendee as string,
      connectionId: row.connection_id as string,
      mediaIds: row.media_ids as string[],
      connectedAt: row.connected_at as Date,
    }));
  }

  /** Every connection id the meeting ever had (open or closed). */
  async knownConnectionIds(meetingId: number): Promise<Set<string>> {
    const result = await this.dataSource.pool.query('SELECT connection_id FROM attendee_connections WHERE session_detail_id = $1', [meetingId]);
    return new Set((result.rows as Array<{connection_id: string}>).map(r => r.connection_id));
  }

  /** Whether the attendee was ever seen in the meeting. */
  async isKnownAttendee(meetingId: number, attendee: string): Promise<boolean> {
    const result = await this.dataSource.pool.query('SELECT 1 FROM session_attendees WHERE session_detail_id = $1 AND attendee = $2', [meetingId, attendee]);
    return result.rowCount === 1;
  }

  /**
   * A connection fact the service inferred (no callback to claim), through the same presence function as
   * callbacks (`apply_connection_fact`): the transition and its event are written once.
   */
  async applyInferred(fact: ConnectionFact, actor: string): Promise<PresenceTransition> {
    const result = await this.dataSource.pool.query({
      name: 'vcs-apply-inferred-fact',
      text: 'SELECT apply_connection_fact($1, $2, $3, $4, $5, $6, NULL, $7) AS transition',
      values: [fact.meetingId, fact.attendee, fact.connectionId, fact.connected, fact.at, fact.reason, actor],
    });
    return (result.rows[0] as {transition: PresenceTransition}).transition;
  }

  async ban(tx: Transaction | undefined, meetingId: number, attendee: string, by: string): Promise<void> {
    await runnerOf(tx, this.dataSource.pool).query(
      'INSERT INTO attendee_bans (session_detail_id, attendee, banned_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [meetingId, attendee, by],
    );
  }
}
