import {inject} from '@loopback/core';
import {PgDataSource} from '../datasources/pg.datasource';
import type {AttendeeIdentity} from '../providers/video/video-event';

/** What a join key stands for. */
export interface JoinIdentity {
  attendeeId: string;
  data?: string;
}

/** The key of this meeting, attendee and data (the data compared itself: md5 only narrows the index search). */
const ISSUE_JOIN_KEY = `
  WITH found AS (
    SELECT join_key FROM join_keys
     WHERE meeting_id = $1 AND attendee = $2 AND (data IS NULL) = ($3::text IS NULL) AND md5(COALESCE(data, '')) = md5(COALESCE($3::text, ''))
       AND data IS NOT DISTINCT FROM $3::text),
  inserted AS (
    INSERT INTO join_keys (meeting_id, attendee, data) SELECT $1, $2, $3::text WHERE NOT EXISTS (SELECT 1 FROM found)
    ON CONFLICT (meeting_id, attendee, (data IS NULL), md5(COALESCE(data, ''))) DO NOTHING RETURNING join_key)
  SELECT join_key FROM found UNION ALL SELECT join_key FROM inserted`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Join keys for providers whose credentials cannot carry the attendee's identity
 * (capabilities.joinIdentity.keyed): one per meeting, attendee and data.
 */
export class JoinKeyRepository {
  constructor(@inject('datasources.pg') private readonly dataSource: PgDataSource) {}

  /**
   * The meeting's key for this attendee and data: the existing one, or a new one. Read first: a repeated
   * token (the common case) then writes nothing, so tokens for one attendee never queue on a row lock.
   */
  async issue(meetingId: number, identity: JoinIdentity): Promise<string> {
    const values = [meetingId, identity.attendeeId, identity.data ?? null];
    // Two first tokens racing: the loser's insert does nothing and its snapshot missed the winner's row; the second read sees it.
    for (let attempt = 0; attempt < 2; attempt++) {
      const result = await this.dataSource.pool.query({name: 'vcs-issue-join-key', text: ISSUE_JOIN_KEY, values});
      const row = result.rows[0] as {join_key: string} | undefined;
      if (row) return row.join_key;
    }
    throw new Error('join key neither found nor inserted');
  }

  /** Who a callback or a provider's list names: the identity itself, or what its join key stands for (keyed providers). */
  async identityOf(meetingId: number, identity: AttendeeIdentity): Promise<JoinIdentity | null> {
    return 'attendeeId' in identity ? identity : this.resolve(meetingId, identity.joinKey);
  }

  /** Null for a key this meeting never issued (or not a key at all: callbacks are outside input). */
  async resolve(meetingId: number, joinKey: string): Promise<JoinIdentity | null> {
    if (!UUID.test(joinKey)) return null;
    const result = await this.dataSource.pool.query({
      name: 'vcs-resolve-join-key',
      text: 'SELECT attendee, data FROM join_keys WHERE join_key = $1 AND meeting_id = $2',
      values: [joinKey, meetingId],
    });
    const row = result.rows[0] as {attendee: string; data: string | null} | undefined;
    if (!row) return null;
    return row.data === null ? {attendeeId: row.attendee} : {attendeeId: row.attendee, data: row.data};
  }
}
