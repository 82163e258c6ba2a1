import {BindingScope, inject, injectable} from '@loopback/core';
import {repository} from '@loopback/repository';
import {Permission} from '../auth/permissions';
import type {CallerProfile} from '../auth/bearer-token.verifier';
import {ConfigBindings, UtilBindings, VideoBindings} from '../keys';
import type {ServiceConfig} from '../config/service-config';
import {MeetingNotFoundError, MeetingStateError, PermissionDeniedError, ValidationError} from '../errors/domain-errors';
import {MeetingRepository} from '../repositories/meeting.repository';
import type {ParticipantRole, VideoProvider} from '../providers/video/types';
import type {Clock} from '../utils/clock';
import {encodeConnectionData} from './connection-data';
import {parseTimeInput} from './time-input';

export interface TokenRequest {
  role?: ParticipantRole;
  expireTime?: string | number;
  data?: string;
}

export interface JoinToken {
  sessionId: string;
  token: string;
  applicationId: string;
}

/** Vonage's own ceiling for a client token's lifetime. */
const MAX_TOKEN_TTL_SECONDS = 30 * 24 * 3600;
const DEFAULT_TOKEN_TTL_SECONDS = 24 * 3600;

/** Issues join tokens: the hot path at the top of the hour, so one read and a local signature. */
@injectable({scope: BindingScope.SINGLETON})
export class MeetingTokenService {
  private readonly timeToStartMs: number;

  constructor(
    @repository(MeetingRepository) private readonly meetings: MeetingRepository,
    @inject(VideoBindings.PROVIDER) private readonly provider: VideoProvider,
    @inject(UtilBindings.CLOCK) private readonly clock: Clock,
    @inject(ConfigBindings.SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.timeToStartMs = config.timeToStartMinutes * 60_000;
  }

  async issue(meetingLink: string, request: TokenRequest, caller: CallerProfile): Promise<JoinToken> {
    const now = this.clock.now();
    const expiresAt = this.resolveExpiry(request.expireTime, now);
    const meeting = await this.meetings.findForToken(meetingLink);
    if (!meeting) throw new MeetingNotFoundError(meetingLink);
    if (meeting.endTime) throw new MeetingStateError('The meeting has ended: no new participants can join');
    if (meeting.isScheduled && meeting.scheduleTime) {
      const opensAt = new Date(meeting.scheduleTime.getTime() - this.timeToStartMs);
      if (now < opensAt) {
        throw new MeetingStateError(`The meeting is scheduled for ${meeting.scheduleTime.toISOString()} and opens at ${opensAt.toISOString()}`);
      }
    }
    const role = request.role ?? 'publisher';
    if (role === 'moderator' && meeting.createdBy !== caller.id && !caller.permissions.includes(Permission.ModerateMeeting)) {
      throw new PermissionDeniedError(`Only the meeting's creator or a holder of ${Permission.ModerateMeeting} can join as moderator`);
    }
    const token = await this.provider.generateClientToken(meeting.sessionId, {
      role,
      expiresAt,
      connectionData: encodeConnectionData({attendee: caller.id, data: request.data}),
    });
    if (!meeting.startTime) await this.meetings.markStarted(meeting.id, now);
    return {sessionId: meeting.sessionId, token, applicationId: this.provider.applicationId};
  }

  private resolveExpiry(expireTime: string | number | undefined, now: Date): Date {
    if (expireTime === undefined) return new Date(now.getTime() + DEFAULT_TOKEN_TTL_SECONDS * 1000);
    const expiresAt = parseTimeInput('expireTime', expireTime);
    const ttlSeconds = (expiresAt.getTime() - now.getTime()) / 1000;
    if (ttlSeconds <= 0) throw new ValidationError('expireTime must be in the future');
    if (ttlSeconds > MAX_TOKEN_TTL_SECONDS) throw new ValidationError('expireTime must be at most 30 days ahead');
    return expiresAt;
  }
}
