import {BindingScope, inject, injectable} from '@loopback/core';
import {repository} from '@loopback/repository';
import {Permission} from '../../auth/permissions';
import {LobbyRepository} from '../../repositories/lobby.repository';
import type {CallerProfile} from '../../auth/bearer-token.verifier';
import {ConfigBindings, UtilBindings, VideoBindings} from '../../keys';
import type {ServiceConfig} from '../../config/service-config';
import {MeetingNotFoundError, MeetingStateError, PermissionDeniedError, ValidationError} from '../../errors/domain-errors';
import {JoinKeyRepository} from '../../repositories/join-key.repository';
import {MeetingRepository} from '../../repositories/meeting.repository';
import type {ParticipantRole, ProviderCapabilities} from '../../providers/video/types';
import type {VideoProviders} from '../../providers/video/video-providers';
import type {Clock} from '../../utils/clock';
import {unsafeTextReason} from '../../utils/safe-text';
import {canModerate} from './moderation';
import {parseTimeInput} from './time-input';

export interface TokenRequest {
  role?: ParticipantRole;
  expireTime?: string | number;
  data?: string;
}

/**
 * The meeting's provider, the token, and whatever else that provider's SDK needs to join
 * (Vonage: `sessionId`, `applicationId`; Zoom: `sessionName`).
 */
export type JoinToken = {provider: string; token: string} & Record<string, string>;

/** A meeting with a lobby holds the request: its requester polls `GET /session/{id}/lobby/{requestId}`. */
export interface LobbyWaiting {
  status: 'waiting';
  requestId: string;
}

/** Issues join tokens: the hot path at the top of the hour, so one read and a local signature. */
@injectable({scope: BindingScope.SINGLETON})
export class MeetingTokenService {
  private readonly timeToStartMs: number;

  constructor(
    @repository(MeetingRepository) private readonly meetings: MeetingRepository,
    @repository(JoinKeyRepository) private readonly joinKeys: JoinKeyRepository,
    @repository(LobbyRepository) private readonly lobby: LobbyRepository,
    @inject(VideoBindings.PROVIDERS) private readonly providers: VideoProviders,
    @inject(UtilBindings.CLOCK) private readonly clock: Clock,
    @inject(ConfigBindings.SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.timeToStartMs = config.timeToStartMinutes * 60_000;
  }

  /** A token, or for a meeting with a lobby and a caller who cannot moderate it, a place in the lobby. */
  issue(meetingLink: string, request: TokenRequest, caller: CallerProfile): Promise<JoinToken | LobbyWaiting> {
    return this.join(meetingLink, request, caller, true);
  }

  /** The token of a request a moderator admitted from the lobby: every other rule is checked again. */
  async issueAdmitted(meetingLink: string, request: TokenRequest, caller: CallerProfile): Promise<JoinToken> {
    return (await this.join(meetingLink, request, caller, false)) as JoinToken;
  }

  private async join(meetingLink: string, request: TokenRequest, caller: CallerProfile, throughLobby: boolean): Promise<JoinToken | LobbyWaiting> {
    const now = this.clock.now();
    const meeting = await this.meetings.findForToken(meetingLink, caller.tenantId, caller.id);
    if (!meeting) throw new MeetingNotFoundError(meetingLink);
    if (meeting.callerBanned) throw new PermissionDeniedError('You were removed from this meeting by a moderator and cannot join it again');
    const provider = this.providers.get(meeting.provider);
    const expiresAt = this.resolveExpiry(request.expireTime, now, provider.capabilities);
    if (meeting.endTime) throw new MeetingStateError('The meeting has ended: no new participants can join');
    if (meeting.isScheduled && meeting.scheduleTime) {
      const opensAt = new Date(meeting.scheduleTime.getTime() - this.timeToStartMs);
      if (now < opensAt) {
        throw new MeetingStateError(`The meeting is scheduled for ${meeting.scheduleTime.toISOString()} and opens at ${opensAt.toISOString()}`);
      }
    }
    const role = request.role ?? 'publisher';
    if (!provider.capabilities.roles.includes(role)) {
      throw new ValidationError(
        `role "${role}" is not supported by the video provider "${provider.name}" (supported: ${provider.capabilities.roles.join(', ')})`,
      );
    }
    const moderates = canModerate(meeting, caller);
    if (role === 'moderator' && !moderates) {
      throw new PermissionDeniedError(`Only the meeting's creator or a holder of ${Permission.ModerateMeeting} can join as moderator`);
    }
    checkJoinIdentity(caller.id, request.data, provider.name, provider.capabilities);
    // Checked before the request waits, so a mistake answers 400 now rather than after a moderator admitted it.
    if (throughLobby && meeting.lobby && !moderates) {
      return {status: 'waiting', requestId: await this.lobby.add(meeting.id, caller.id, request)};
    }
    // A keyed provider's credential carries a key the callbacks name; the key is stored before it is handed out.
    const joinKey = provider.capabilities.joinIdentity.keyed
      ? await this.joinKeys.issue(meeting.id, request.data === undefined ? {attendeeId: caller.id} : {attendeeId: caller.id, data: request.data})
      : undefined;
    const credentials = await provider.issueJoinCredentials(meeting, {attendeeId: caller.id, role, expiresAt, data: request.data, joinKey});
    if (!meeting.startTime) await this.meetings.markOpened(meeting.id, now);
    return {provider: provider.name, ...credentials.clientFields, token: credentials.token};
  }

  /** Within the provider's bounds for a join token's lifetime (capabilities.joinTokenTtl). */
  private resolveExpiry(expireTime: string | number | undefined, now: Date, capabilities: ProviderCapabilities): Date {
    const ttl = capabilities.joinTokenTtl;
    if (expireTime === undefined) return new Date(now.getTime() + ttl.defaultSeconds * 1000);
    const expiresAt = parseTimeInput('expireTime', expireTime);
    const ttlSeconds = (expiresAt.getTime() - now.getTime()) / 1000;
    if (ttlSeconds <= 0) throw new ValidationError('expireTime must be in the future');
    if (ttlSeconds < ttl.minSeconds || ttlSeconds > ttl.maxSeconds) {
      throw new ValidationError(`expireTime must be between ${describeSeconds(ttl.minSeconds)} and ${describeSeconds(ttl.maxSeconds)} ahead`);
    }
    return expiresAt;
  }
}

/**
 * The attendee id and `data` travel to the other participants and back in the provider's callbacks,
 * which must be storable: checked against what the provider can carry before anything is signed.
 */
function checkJoinIdentity(attendeeId: string, data: string | undefined, providerName: string, capabilities: ProviderCapabilities): void {
  const limits = capabilities.joinIdentity;
  const idProblem = unsafeTextReason(attendeeId);
  if (idProblem) throw new ValidationError(`The caller id of the bearer token ${idProblem}`);
  if (attendeeId.length > limits.maxAttendeeIdChars) {
    throw new ValidationError(
      `The caller id of the bearer token must be at most ${limits.maxAttendeeIdChars} characters to join a meeting on "${providerName}"`,
    );
  }
  if (data === undefined) return;
  const dataProblem = unsafeTextReason(data);
  if (dataProblem) throw new ValidationError(`data ${dataProblem}`);
  if ([...data].length > limits.maxDataChars) {
    throw new ValidationError(`data must be at most ${limits.maxDataChars} characters for the video provider "${providerName}"`);
  }
}

/** `30 days`, `2 hours`, `30 minutes`, `5 seconds`: the largest unit that divides evenly. */
function describeSeconds(seconds: number): string {
  for (const [unit, size] of [
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
  ] as const) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size} ${unit}${seconds === size ? '' : 's'}`;
  }
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}
