import {BindingScope, inject, injectable, service} from '@loopback/core';
import {repository} from '@loopback/repository';
import {Permission} from '../../auth/permissions';
import type {CallerProfile} from '../../auth/bearer-token.verifier';
import type {ServiceConfig} from '../../config/service-config';
import {
  LobbyRequestDecidedError,
  LobbyRequestGoneError,
  LobbyRequestNotFoundError,
  MeetingNotFoundError,
  MeetingStateError,
  PermissionDeniedError,
} from '../../errors/domain-errors';
import {ConfigBindings, RepositoryBindings} from '../../keys';
import {AuditLogRepository} from '../../repositories/audit-log.repository';
import {LobbyRepository, LobbyRequest, LobbyStatus} from '../../repositories/lobby.repository';
import {MeetingRepository, MeetingTokenView} from '../../repositories/meeting.repository';
import {TransactionRunner} from '../../repositories/transaction';
import {JoinToken, MeetingTokenService, TokenRequest} from './meeting-token.service';
import {canModerate} from './moderation';

/** A lobby request as moderators see it. */
export interface LobbyRequestView {
  requestId: string;
  attendee: string;
  /** `delivered` reads as `admitted`: whether the token was collected is the requester's business. */
  status: Exclude<LobbyStatus, 'delivered'>;
  since: Date;
  data: string | null;
  role: string | null;
  decidedAt: Date | null;
  decidedBy: string | null;
}

export type LobbyPoll = {status: 'waiting'; requestId: string} | JoinToken | LobbyRequestView;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The lobby of a meeting: moderators (the creator or `ModerateMeeting`) list, admit and deny waiting token
 * requests; the requester polls and collects its token once. State is in PostgreSQL only, so any replica
 * answers any poll.
 */
@injectable({scope: BindingScope.SINGLETON})
export class LobbyService {
  private readonly waitSeconds: number;

  constructor(
    @repository(MeetingRepository) private readonly meetings: MeetingRepository,
    @repository(LobbyRepository) private readonly lobby: LobbyRepository,
    @repository(AuditLogRepository) private readonly audit: AuditLogRepository,
    @service(MeetingTokenService) private readonly tokens: MeetingTokenService,
    @inject(RepositoryBindings.TRANSACTIONS) private readonly transactions: TransactionRunner,
    @inject(ConfigBindings.SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.waitSeconds = config.lobbyWaitSeconds;
  }

  async listWaiting(meetingLink: string, page: {limit: number; offset: number}, caller: CallerProfile) {
    const meeting = await this.moderatedMeeting(meetingLink, caller);
    const result = await this.lobby.pageWaiting(meeting.id, this.waitSeconds, page);
    return {total: result.total, items: result.items.map(toView)};
  }

  async decide(meetingLink: string, requestId: string, decision: 'admit' | 'deny', caller: CallerProfile): Promise<LobbyRequestView> {
    const meeting = await this.moderatedMeeting(meetingLink, caller);
    if (decision === 'admit' && meeting.endTime) throw new MeetingStateError('The meeting has ended: no new participants can join');
    const status = decision === 'admit' ? 'admitted' : 'denied';
    if (!UUID.test(requestId)) throw new LobbyRequestNotFoundError(requestId);
    const decided = await this.transactions.run(async tx => {
      const request = await this.lobby.decide(tx, {meetingId: meeting.id, id: requestId, waitSeconds: this.waitSeconds}, {status, by: caller.id});
      if (request) {
        await this.audit.record(
          {
            actor: caller.id,
            action: `lobby.${decision}`,
            entityType: 'lobby-request',
            entityId: request.id,
            after: {meetingLink, attendee: request.attendee, status},
          },
          tx,
        );
      }
      return request;
    });
    if (decided) return toView(decided);
    const current = await this.lobby.find(meeting.id, requestId, this.waitSeconds);
    if (!current) throw new LobbyRequestNotFoundError(requestId);
    throw new LobbyRequestDecidedError(`The lobby request cannot be ${status}: it is already ${toView(current).status}`);
  }

  /**
   * The requester sees `waiting`, then its token once (a later poll answers 410), 403 when denied and 410 when
   * expired. A moderator polling sees the request's status, never the token.
   */
  async poll(meetingLink: string, requestId: string, caller: CallerProfile): Promise<LobbyPoll> {
    const meeting = await this.visibleMeeting(meetingLink, caller);
    const request = UUID.test(requestId) ? await this.lobby.find(meeting.id, requestId, this.waitSeconds) : null;
    if (!request) throw new LobbyRequestNotFoundError(requestId);
    if (request.attendee !== caller.id) {
      if (!canModerate(meeting, caller))
        throw new PermissionDeniedError('Only the requester, the meeting creator or a holder of ModerateMeeting may see a lobby request');
      return toView(request);
    }
    switch (request.status) {
      case 'waiting':
        return {status: 'waiting', requestId: request.id};
      case 'denied':
        throw new PermissionDeniedError('A moderator denied this request to join the meeting');
      case 'expired':
        throw new LobbyRequestGoneError(`The lobby request expired: nobody admitted it within ${this.waitSeconds} seconds; ask for a token again`);
      case 'delivered':
        throw new LobbyRequestGoneError('The token of this lobby request was already handed out; ask for a token again');
      case 'admitted':
        return this.deliver(meetingLink, request, caller);
    }
  }

  /** Signs first, then claims the one delivery: of two polls at once, the loser's token is never shown. */
  private async deliver(meetingLink: string, request: LobbyRequest, caller: CallerProfile): Promise<JoinToken> {
    const token = await this.tokens.issueAdmitted(meetingLink, request.request as TokenRequest, caller);
    if (!(await this.lobby.markDelivered(request.id))) {
      throw new LobbyRequestGoneError('The token of this lobby request was already handed out; ask for a token again');
    }
    return token;
  }

  private async visibleMeeting(meetingLink: string, caller: CallerProfile): Promise<MeetingTokenView> {
    const meeting = await this.meetings.findForToken(meetingLink, caller.tenantId, caller.id);
    if (!meeting) throw new MeetingNotFoundError(meetingLink);
    return meeting;
  }

  private async moderatedMeeting(meetingLink: string, caller: CallerProfile): Promise<MeetingTokenView> {
    const meeting = await this.visibleMeeting(meetingLink, caller);
    if (!canModerate(meeting, caller)) {
      throw new PermissionDeniedError(`Only the meeting's creator or a holder of ${Permission.ModerateMeeting} can run its lobby`);
    }
    return meeting;
  }
}

function toView(request: LobbyRequest): LobbyRequestView {
  return {
    requestId: request.id,
    attendee: request.attendee,
    status: request.status === 'delivered' ? 'admitted' : request.status,
    since: request.requestedAt,
    data: request.request.data ?? null,
    role: request.request.role ?? null,
    decidedAt: request.decidedAt,
    decidedBy: request.decidedBy,
  };
}
