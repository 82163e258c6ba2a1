import {inject} from '@loopback/core';
import {DefaultCrudRepository, repository} from '@loopback/repository';
import type {QueryConfig} from 'pg';
import {PgDataSource} from '../datasources/pg.datasource';
import {Meeting} from '../models/meeting.model';
import {OutboxRepository} from './outbox.repository';
import {runnerOf, Transaction} from './transaction';

/** Columns a PATCH may write, by API name. */
export interface MeetingEdit {
  isScheduled?: boolean;
  scheduleTime?: Date | null;
  extId?: string | null;
  extMetadata?: object | null;
  lobby?: boolean;
  maxDurationMinutes?: number | null;
  endWhenEmptyMinutes?: number | null;
}

const EDIT_COLUMNS: Record<keyof MeetingEdit, string> = {
  isScheduled: 'is_scheduled',
  scheduleTime: 'schedule_time',
  extId: 'ext_id',
  extMetadata: 'ext_metadata',
  lobby: 'lobby',
  maxDurationMinutes: 'max_duration_minutes',
  endWhenEmptyMinutes: 'end_when_empty_minutes',
};

/** A meeting's provider and the provider's handle on its session. */
export interface MeetingSession {
  id: number;
  meetingLink: string;
  provider: string;
  sessionId: string;
  sessionName: string | null;
}

/** Whose meetings a caller sees: those of its tenant, or with none, those created without one. */
export type TenantScope = string | null;

export interface MeetingTokenView extends MeetingSession {
  isScheduled: boolean;
  scheduleTime: Date | null;
  startTime: Date | null;
  endTime: Date | null;
  createdBy: string | null;
  /** The caller was removed from this meeting with a ban (attendee_bans). */
  callerBanned: boolean;
  /** Token requests of anyone but the creator or a moderator wait in the lobby. */
  lobby: boolean;
}

export type NewMeeting = Pick<
  Meeting,
  'meetingLink' | 'provider' | 'sessionId' | 'isScheduled' | 'enableArchiving' | 'endToEndEncryption' | 'createdBy' | 'modifiedBy'
> & {
  providerSessionName: string | null;
  scheduleTime: Date | null;
  extId: string | null;
  extMetadata: object | null;
  tenantId: TenantScope;
  lobby: boolean;
  maxDurationMinutes: number | null;
  endWhenEmptyMinutes: number | null;
};

/** What `MeetingSession` is read from. */
const SESSION_COLUMNS = 'id, meeting_link, provider, session_id, provider_session_name';
const SELECT_SESSION = `SELECT ${SESSION_COLUMNS} FROM video_session_details`;

/** Model property → column, read once from the model (the juggler's own mapping). */
const COLUMN_OF: ReadonlyArray<[string, string]> = Object.entries(Meeting.definition.properties).map(([property, definition]) => [
  property,
  (definition as unknown as {postgresql: {columnName: string}}).postgresql.columnName,
]);

export class MeetingRepository extends DefaultCrudRepository<Meeting, number> {
  constructor(
    @inject('datasources.pg') override readonly dataSource: PgDataSource,
    @repository(OutboxRepository) private readonly outbox: OutboxRepository,
  ) {
    super(Meeting, dataSource);
  }

  async findByLink(meetingLink: string, tenantId: TenantScope): Promise<Meeting | null> {
    const result = await this.dataSource.pool.query(
      'SELECT * FROM video_session_details WHERE meeting_link = $1 AND tenant_id IS NOT DISTINCT FROM $2 AND NOT deleted',
      [meetingLink, tenantId],
    );
    const row = result.rows[0] as Record<string, unknown> | undefined;
    return row ? toMeeting(row) : null;
  }

  /**
   * Inserts the meeting, its audit row (`after`: what the creator set, plus the id and creation time) and
   * its `meeting.created` event in one statement: atomic without a transaction, and one round trip
   * where BEGIN, three statements and COMMIT took five (creation at the top of the hour).
   */
  async insert(meeting: NewMeeting, auditAfter: object, tx?: Transaction): Promise<Meeting> {
    const result = await runnerOf(tx, this.dataSource.pool).query({
      name: 'vcs-create-meeting',
      text: `WITH m AS (
               INSERT INTO video_session_details (meeting_link, provider, session_id, provider_session_name, is_scheduled, schedule_time,
                      enable_archiving, e2ee, ext_id, ext_metadata, created_by, modified_by, tenant_id,
                      lobby, max_duration_minutes, end_when_empty_minutes)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $15, $16, $17) RETURNING *),
             audit AS (
               INSERT INTO audit_logs (actor, action, entity_type, entity_id, after)
               SELECT m.created_by, 'meeting.create', 'meeting', m.meeting_link,
                      $14::jsonb || jsonb_build_object('id', m.id, 'createdOn', m.created_on) FROM m),
             event AS (
               -- The row record_outbox_event writes; that function cannot see a row this statement inserts.
               INSERT INTO outbox_events (type, meeting_id, meeting_link, tenant_id, actor, data, occurred_at)
               SELECT 'meeting.created', m.id, m.meeting_link, m.tenant_id, m.created_by, jsonb_build_object('provider', m.provider), now() FROM m)
           SELECT * FROM m`,
      values: [
        meeting.meetingLink,
        meeting.provider,
        meeting.sessionId,
        meeting.providerSessionName,
        meeting.isScheduled,
        meeting.scheduleTime,
        meeting.enableArchiving,
        meeting.endToEndEncryption,
        meeting.extId,
        meeting.extMetadata === null ? null : JSON.stringify(meeting.extMetadata),
        meeting.createdBy,
        meeting.modifiedBy,
        meeting.tenantId,
        JSON.stringify(auditAfter),
        meeting.lobby,
        meeting.maxDurationMinutes,
        meeting.endWhenEmptyMinutes,
      ],
    });
    return toMeeting(result.rows[0] as Record<string, unknown>);
  }

  /** Writes the edit and its `meeting.updated` event only while the meeting is open; false when it ended meanwhile. */
  async updateIfOpen(tx: Transaction, id: number, edit: MeetingEdit, actor: string): Promise<boolean> {
    const sets: string[] = [];
    const params: unknown[] = [id, actor];
    for (const [field, column] of Object.entries(EDIT_COLUMNS) as Array<[keyof MeetingEdit, string]>) {
      if (!(field in edit)) continue;
      const value = edit[field];
      params.push(field === 'extMetadata' && value !== null && value !== undefined ? JSON.stringify(value) : value);
      sets.push(`${column} = $${params.length}`);
    }
    const result = await tx.client.query(
      `UPDATE video_session_details SET ${[...sets, 'modified_by = $2', 'modified_on = now()'].join(', ')}
        WHERE id = $1 AND end_time IS NULL AND NOT deleted`,
      params,
    );
    if (result.rowCount !== 1) return false;
    await this.outbox.record(tx, {type: 'meeting.updated', meetingId: id, actor, data: {changed: Object.keys(edit)}});
    return true;
  }

  /**
   * The one writer of a meeting's end: of two concurrent calls (or an API end and the provider's
   * session end) exactly one gets the row and records `meeting.ended`.
   */
  async endIfOpen(
    tx: Transaction,
    which: {meetingLink: string; tenantId: TenantScope} | {meetingId: number},
    end: {at: Date; actor: string; reason: string},
  ): Promise<MeetingSession | null> {
    const result =
      'meetingLink' in which
        ? await tx.client.query(
            `UPDATE video_session_details SET end_time = $2, end_reason = $4, modified_by = $3, modified_on = now()
              WHERE meeting_link = $1 AND tenant_id IS NOT DISTINCT FROM $5 AND end_time IS NULL AND NOT deleted
              RETURNING ${SESSION_COLUMNS}`,
            [which.meetingLink, end.at, end.actor, end.reason, which.tenantId],
          )
        : await tx.client.query(
            `UPDATE video_session_details SET end_time = $2, end_reason = $4, modified_by = $3, modified_on = now()
              WHERE id = $1 AND end_time IS NULL AND NOT deleted
              RETURNING ${SESSION_COLUMNS}`,
            [which.meetingId, end.at, end.actor, end.reason],
          );
    const row = result.rows[0] as Record<string, unknown> | undefined;
    if (!row) return null;
    const session = toSession(row);
    await this.outbox.record(tx, {type: 'meeting.ended', meetingId: session.id, actor: end.actor, data: {reason: end.reason}, occurredAt: end.at});
    return session;
  }

  /**
   * What issuing a join token needs, in one indexed read without the juggler's
   * model coercion: this runs for every participant at the top of the hour.
   */
  async findForToken(meetingLink: string, tenantId: TenantScope, callerId: string): Promise<MeetingTokenView | null> {
    const result = await this.dataSource.pool.query({
      // Named: prepared once per pooled connection, so PostgreSQL skips parsing and planning.
      name: 'vcs-meeting-for-token',
      // The ban check rides along (one primary-key probe) rather than costing the hot path a round trip.
      text: `SELECT ${SESSION_COLUMNS}, is_scheduled, schedule_time, start_time, end_time, created_by, lobby,
                    EXISTS (SELECT 1 FROM attendee_bans b WHERE b.session_detail_id = m.id AND b.attendee = $3) AS caller_banned
               FROM video_session_details m WHERE meeting_link = $1 AND tenant_id IS NOT DISTINCT FROM $2 AND NOT deleted`,
      values: [meetingLink, tenantId, callerId],
    });
    const row = result.rows[0] as Record<string, unknown> | undefined;
    if (!row) return null;
    return {
      ...toSession(row),
      isScheduled: row.is_scheduled as boolean,
      scheduleTime: (row.schedule_time as Date | null) ?? null,
      startTime: (row.start_time as Date | null) ?? null,
      endTime: (row.end_time as Date | null) ?? null,
      createdBy: (row.created_by as string | null) ?? null,
      callerBanned: row.caller_banned === true,
      lobby: row.lobby as boolean,
    };
  }

  /** The meeting of a provider's session (callbacks), or null when it is not one of ours. */
  findSession(provider: string, sessionId: string): Promise<MeetingSession | null> {
    return this.oneSession({
      name: 'vcs-meeting-by-session',
      text: `${SELECT_SESSION} WHERE provider = $1 AND session_id = $2 AND NOT deleted`,
      values: [provider, sessionId],
    });
  }

  /** The meeting of a provider session by the name it was created with (names compare without case, as Zoom's do). */
  findSessionByName(provider: string, sessionName: string): Promise<MeetingSession | null> {
    return this.oneSession({
      name: 'vcs-meeting-by-session-name',
      text: `${SELECT_SESSION} WHERE provider = $1 AND lower(provider_session_name) = lower($2) AND NOT deleted`,
      values: [provider, sessionName],
    });
  }

  /** The meeting of a session id on any provider (the archive listing's `sessionId` filter). */
  findSessionBySessionId(sessionId: string, tenantId: TenantScope): Promise<MeetingSession | null> {
    return this.oneSession({
      text: `${SELECT_SESSION} WHERE session_id = $1 AND tenant_id IS NOT DISTINCT FROM $2 AND NOT deleted ORDER BY id LIMIT 1`,
      values: [sessionId, tenantId],
    });
  }

  /** Also for deleted meetings: their provider session may still need ending. */
  findSessionById(id: number): Promise<MeetingSession | null> {
    return this.oneSession({text: `${SELECT_SESSION} WHERE id = $1`, values: [id]});
  }

  findSessionByLink(meetingLink: string, tenantId: TenantScope): Promise<MeetingSession | null> {
    return this.oneSession({
      text: `${SELECT_SESSION} WHERE meeting_link = $1 AND tenant_id IS NOT DISTINCT FROM $2 AND NOT deleted`,
      values: [meetingLink, tenantId],
    });
  }

  /** Meetings that may have archives still held at the provider: started, and not ended longer ago than `withinHours`. */
  async recentlyActive(limit: number, withinHours: number): Promise<MeetingSession[]> {
    const result = await this.dataSource.pool.query(
      `${SELECT_SESSION}
        WHERE start_time IS NOT NULL AND NOT deleted AND (end_time IS NULL OR end_time > now() - make_interval(hours => $2))
        ORDER BY start_time DESC LIMIT $1`,
      [limit, withinHours],
    );
    return (result.rows as Array<Record<string, unknown>>).map(toSession);
  }

  private async oneSession(query: QueryConfig): Promise<MeetingSession | null> {
    const result = await this.dataSource.pool.query(query);
    const row = result.rows[0] as Record<string, unknown> | undefined;
    return row ? toSession(row) : null;
  }

  /** Sets startTime (the API's: when the first join token was issued) once. */
  async markOpened(id: number, at: Date): Promise<void> {
    await this.dataSource.pool.query('UPDATE video_session_details SET start_time = $2 WHERE id = $1 AND start_time IS NULL', [id, at]);
  }

  /** The meeting went live (see `mark_meeting_started`, the one writer); true the first time. */
  async markStarted(tx: Transaction | undefined, id: number, at: Date, actor: string): Promise<boolean> {
    const result = await runnerOf(tx, this.dataSource.pool).query('SELECT mark_meeting_started($1, $2, $3) AS started', [id, at, actor]);
    return (result.rows[0] as {started: boolean}).started;
  }

  /** The meeting has (had) a recording; the latest archive and where it was uploaded. */
  async markArchived(tx: Transaction, id: number, archiveId: string, uploadTarget: string | null): Promise<void> {
    await tx.client.query(
      `UPDATE video_session_details SET is_archived = true, archive_id = $2,
              upload_target = COALESCE($3, upload_target), modified_on = now() WHERE id = $1`,
      [id, archiveId, uploadTarget],
    );
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

function toMeeting(row: Record<string, unknown>): Meeting {
  const data: Record<string, unknown> = {};
  for (const [property, column] of COLUMN_OF) data[property] = row[column];
  data.id = Number(row.id);
  return new Meeting(data as Partial<Meeting>);
}
