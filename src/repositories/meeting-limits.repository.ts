import {inject} from '@loopback/core';
import {PgDataSource} from '../datasources/pg.datasource';

/** Where a meeting stands against its lifecycle limits, as the database's clock sees it now. */
export interface MeetingLimitState {
  /** Ended (or deleted): nothing is left to check. */
  closed: boolean;
  maxDurationMinutes: number | null;
  endWhenEmptyMinutes: number | null;
  /** Seconds until `started_at + maxDurationMinutes` (≤ 0: reached); null while the meeting has not gone live. */
  maxDurationDueInSeconds: number | null;
  /**
   * Seconds until the last departure + `endWhenEmptyMinutes` (≤ 0: reached); null unless someone was present and
   * nobody is now.
   */
  emptyDueInSeconds: number | null;
}

/** The reads behind lifecycle limits; their writes are the meeting's (edit, `endIfOpen`). */
export class MeetingLimitsRepository {
  constructor(@inject('datasources.pg') private readonly dataSource: PgDataSource) {}

  /** `minuteSeconds`: seconds in one minute of a limit (LIFECYCLE_MINUTE_SECONDS). */
  async state(meetingId: number, minuteSeconds: number): Promise<MeetingLimitState | null> {
    const result = await this.dataSource.pool.query(
      `SELECT (m.end_time IS NOT NULL OR m.deleted) AS closed, m.max_duration_minutes, m.end_when_empty_minutes,
              EXTRACT(EPOCH FROM m.started_at + make_interval(secs => m.max_duration_minutes * $2::integer) - now())::float8 AS max_due_in,
              EXTRACT(EPOCH FROM e.empty_since + make_interval(secs => m.end_when_empty_minutes * $2::integer) - now())::float8 AS empty_due_in
         FROM video_session_details m
         LEFT JOIN LATERAL (
           SELECT max(sa.left_at) AS empty_since FROM session_attendees sa
            WHERE sa.session_detail_id = m.id HAVING count(*) > 0 AND NOT bool_or(sa.is_present)) e ON true
        WHERE m.id = $1`,
      [meetingId, minuteSeconds],
    );
    const row = result.rows[0] as Record<string, unknown> | undefined;
    if (!row) return null;
    return {
      closed: row.closed as boolean,
      maxDurationMinutes: (row.max_duration_minutes as number | null) ?? null,
      endWhenEmptyMinutes: (row.end_when_empty_minutes as number | null) ?? null,
      maxDurationDueInSeconds: (row.max_due_in as number | null) ?? null,
      emptyDueInSeconds: (row.empty_due_in as number | null) ?? null,
    };
  }
}
