import {inject} from '@loopback/core';
import {repository} from '@loopback/repository';
import {PgDataSource} from '../datasources/pg.datasource';
import {OutboxRepository} from './outbox.repository';
import {runnerOf, Transaction} from './transaction';

/** What the token request asked for, kept until the token is signed. */
export interface LobbyTokenRequest {
  role?: string;
  expireTime?: string | number;
  data?: string;
}

/** `expired`: still undecided LOBBY_WAIT_SECONDS after it was made. `delivered`: admitted, token handed out. */
export type LobbyStatus = 'waiting' | 'admitted' | 'denied' | 'expired' | 'delivered';

export interface LobbyRequest {
  id: string;
  meetingId: number;
  attendee: string;
  request: LobbyTokenRequest;
  status: LobbyStatus;
  requestedAt: Date;
  decidedAt: Date | null;
  decidedBy: string | null;
}

/** A request's status as of now: a waiting one past the wait reads as expired (no job needs to run for it). */
const STATUS = `CASE WHEN status = 'waiting' AND requested_at <= now() - make_interval(secs => $WAIT) THEN 'expired' ELSE status END`;
const COLUMNS = (wait: string) => `id, meeting_id, attendee, request, ${STATUS.replace('$WAIT', wait)} AS status, requested_at, decided_at, decided_by`;

/** Token requests waiting in meetings' lobbies, and their decisions. */
export class LobbyRepository {
  constructor(
    @inject('datasources.pg') private readonly dataSource: PgDataSource,
    @repository(OutboxRepository) private readonly outbox: OutboxRepository,
  ) {}

  /** A new waiting request and its `lobby.waiting` event, in one statement. Returns the request id. */
  async add(meetingId: number, attendee: string, request: LobbyTokenRequest): Promise<string> {
    const result = await this.dataSource.pool.query({
      name: 'vcs-lobby-add',
      text: `WITH r AS (INSERT INTO lobby_requests (meeting_id, attendee, request) VALUES ($1, $2, $3::jsonb) RETURNING id, requested_at)
             SELECT r.id, record_outbox_event('lobby.waiting', $1, $2, jsonb_build_object('requestId', r.id, 'attendee', $2::text), r.requested_at)
               FROM r`,
      values: [meetingId, attendee, JSON.stringify(request)],
    });
    return (result.rows[0] as {id: string}).id;
  }

  async find(meetingId: number, id: string, waitSeconds: number): Promise<LobbyRequest | null> {
    const result = await this.dataSource.pool.query({
      name: 'vcs-lobby-find',
      text: `SELECT ${COLUMNS('$3')} FROM lobby_requests WHERE id = $1 AND meeting_id = $2`,
      values: [id, meetingId, waitSeconds],
    });
    const row = result.rows[0] as Record<string, unknown> | undefined;
    return row ? toRequest(row) : null;
  }

  /** One page of the requests still waiting, oldest first, and how many wait in all. */
  async pageWaiting(meetingId: number, waitSeconds: number, page: {limit: number; offset: number}): Promise<{total: number; items: LobbyRequest[]}> {
    const where = `meeting_id = $1 AND status = 'waiting' AND requested_at > now() - make_interval(secs => $2)`;
    const [rows, count] = await Promise.all([
      this.dataSource.pool.query(`SELECT ${COLUMNS('$2')} FROM lobby_requests WHERE ${where} ORDER BY requested_at, id LIMIT $3 OFFSET $4`, [
        meetingId,
        waitSeconds,
        page.limit,
        page.offset,
      ]),
      this.dataSource.pool.query(`SELECT count(*) AS total FROM lobby_requests WHERE ${where}`, [meetingId, waitSeconds]),
    ]);
    return {total: Number((count.rows[0] as {total: string}).total), items: (rows.rows as Array<Record<string, unknown>>).map(toRequest)};
  }

  /**
   * Admits or denies a request still waiting (not expired), with its event; null when it was not waiting (the
   * caller tells unknown from already decided). Of two moderators deciding at once, exactly one gets the row.
   */
  async decide(
    tx: Transaction,
    which: {meetingId: number; id: string; waitSeconds: number},
    decision: {status: 'admitted' | 'denied'; by: string},
  ): Promise<LobbyRequest | null> {
    const result = await tx.client.query(
      `UPDATE lobby_requests SET status = $3, decided_at = now(), decided_by = $4
        WHERE id = $1 AND meeting_id = $2 AND status = 'waiting' AND requested_at > now() - make_interval(secs => $5)
        RETURNING ${COLUMNS('$5')}`,
      [which.id, which.meetingId, decision.status, decision.by, which.waitSeconds],
    );
    const row = result.rows[0] as Record<string, unknown> | undefined;
    if (!row) return null;
    const request = toRequest(row);
    await this.outbox.record(tx, {
      type: decision.status === 'admitted' ? 'lobby.admitted' : 'lobby.denied',
      meetingId: which.meetingId,
      actor: decision.by,
      data: {requestId: request.id, attendee: request.attendee},
    });
    return request;
  }

  /** Marks an admitted request's token handed out; false when it already was (another poll, another replica). */
  async markDelivered(id: string, tx?: Transaction): Promise<boolean> {
    const result = await runnerOf(tx, this.dataSource.pool).query(
      `UPDATE lobby_requests SET status = 'delivered', delivered_at = now() WHERE id = $1 AND status = 'admitted'`,
      [id],
    );
    return result.rowCount === 1;
  }
}

function toRequest(row: Record<string, unknown>): LobbyRequest {
  return {
    id: row.id as string,
    meetingId: Number(row.meeting_id),
    attendee: row.attendee as string,
    request: row.request as LobbyTokenRequest,
    status: row.status as LobbyStatus,
    requestedAt: row.requested_at as Date,
    decidedAt: (row.decided_at as Date | null) ?? null,
    decidedBy: (row.decided_by as string | null) ?? null,
  };
}
