import {inject} from '@loopback/core';
import {PgDataSource} from '../datasources/pg.datasource';
import type {MeetingSession, TenantScope} from './meeting.repository';

/** What live control checks before it asks the provider anything. */
export interface LiveMeeting extends MeetingSession {
  createdBy: string | null;
  endToEndEncryption: boolean;
  /** When the meeting went live (first join or the provider's session start); null: nobody joined yet. */
  startedAt: Date | null;
  endTime: Date | null;
}

/** A meeting a presence check claimed; `ended` asks for the one check after its end. */
export interface ClaimedMeeting extends MeetingSession {
  ended: boolean;
}

const COLUMNS = 'id, meeting_link, provider, session_id, provider_session_name';

/** Meetings as live control and presence reconciliation read and claim them. */
export class LiveMeetingRepository {
  constructor(@inject('datasources.pg') private readonly dataSource: PgDataSource) {}

  async findForControl(meetingLink: string, tenantId: TenantScope): Promise<LiveMeeting | null> {
    const result = await this.dataSource.pool.query(
      `SELECT ${COLUMNS}, created_by, e2ee, started_at, end_time FROM video_session_details
        WHERE meeting_link = $1 AND tenant_id IS NOT DISTINCT FROM $2 AND NOT deleted`,
      [meetingLink, tenantId],
    );
    const row = result.rows[0] as Record<string, unknown> | undefined;
    if (!row) return null;
    return {
      ...toSession(row),
      createdBy: (row.created_by as string | null) ?? null,
      endToEndEncryption: row.e2ee as boolean,
      startedAt: (row.started_at as Date | null) ?? null,
      endTime: (row.end_time as Date | null) ?? null,
    };
  }

  /**
   * Claims up to `limit` meetings whose presence check is due and stamps them, so another replica's run
   * skips them (SKIP LOCKED): live ones one interval after their start or last check, ended ones once, one
   * interval after their end (their provider's own leave callbacks get that long to arrive first).
   */
  async claimDue(intervalSeconds: number, limit: number): Promise<ClaimedMeeting[]> {
    const result = await this.dataSource.pool.query({
      name: 'vcs-claim-presence-checks',
      text: `UPDATE video_session_details m
                SET presence_checked_at = now(), presence_final_checked = (m.end_time IS NOT NULL)
              WHERE m.id IN (
                SELECT id FROM video_session_details
                 WHERE started_at IS NOT NULL AND NOT presence_final_checked AND NOT deleted
                   AND GREATEST(started_at, presence_checked_at, end_time) <= now() - make_interval(secs => $1)
                 ORDER BY presence_checked_at NULLS FIRST LIMIT $2
                 FOR UPDATE SKIP LOCKED)
          RETURNING ${COLUMNS.split(', ')
            .map(c => `m.${c}`)
            .join(', ')}, m.end_time IS NOT NULL AS ended`,
      values: [intervalSeconds, limit],
    });
    return (result.rows as Array<Record<string, unknown>>).map(row => ({...toSession(row), ended: row.ended as boolean}));
  }
}

function toSession(row: Record<string, unknown>): MeetingSession {
  return {
    id: Number(row.id),
    meetingLink: row.meeting_link as string,
    provider: row.provider as string,
    sessionId: row.session_id as string,
    sessionName: (row.provider_session_name as string | null) ?? null,
  };
}
