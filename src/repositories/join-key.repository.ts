import {inject} from '@loopback/core';
import {PgDataSource} from '../datasources/pg.datasource';

/** What a join key stands for. */
export interface JoinIdentity {
  attendeeId: string;
  data?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Join keys for providers whose credentials cannot carry the attendee's identity
 * (capabilities.joinIdentity.keyed): one per meeting, attendee and data.
 */
export class JoinKeyRepository {
  constructor(@inject('datasources.pg') private readonly dataSource: PgDataSource) {}

  /** The meeting's key for this attendee and data: the existing one, or a new one. */
  async issue(meetingId: number, identity: JoinIdentity): Promise<string> {
    const result = await this.dataSource.pool.query({
      name: 'vcs-issue-join-key',
      // The no-op update makes RETURNING answer for an existing key too.
      text: `INSERT INTO join_keys AS k (meeting_id, attendee, data) VALUES ($1, $2, $3)
             ON CONFLICT (meeting_id, attendee, (data IS NULL), md5(COALESCE(data, ''))) DO UPDATE SET meeting_id = k.meeting_id
             RETURNING join_key`,
      values: [meetingId, identity.attendeeId, identity.data ?? null],
    });
    return (result.rows[0] as {join_key: string}).join_key;
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
