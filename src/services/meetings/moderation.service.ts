import {BindingScope, inject, injectable} from '@loopback/core';
import {repository} from '@loopback/repository';
import type {CallerProfile} from '../../auth/bearer-token.verifier';
import {Permission} from '../../auth/permissions';
import {
  AttendeeNotConnectedError,
  AttendeeNotFoundError,
  CapabilityNotSupportedError,
  MeetingNotFoundError,
  MeetingStateError,
  PermissionDeniedError,
  ValidationError,
} from '../../errors/domain-errors';
import {RepositoryBindings, VideoBindings} from '../../keys';
import type {ParticipantRef, VideoProvider} from '../../providers/video/types';
import type {VideoProviders} from '../../providers/video/video-providers';
import {AuditLogRepository} from '../../repositories/audit-log.repository';
import {LiveConnectionRepository, OpenConnection} from '../../repositories/live-connection.repository';
import {LiveMeeting, LiveMeetingRepository} from '../../repositories/live-meeting.repository';
import {DomainEventType, OutboxRepository} from '../../repositories/outbox.repository';
import {Transaction, TransactionRunner} from '../../repositories/transaction';
import {canModerate} from './moderation';
import {parseSignal} from './moderation-input';

export interface RemovalResult {
  attendee: string;
  /** Connections removed at the provider. */
  disconnected: number;
  banned: boolean;
}

export interface MuteResult {
  /** Connections muted (the attendee's), or kept unmuted (everyone's mute). */
  participants: number;
}

/**
 * Moderation of a live meeting by its creator or a ModerateMeeting holder: remove (and ban), mute,
 * signal. The provider acts first; the audit row and the event are written together once it did.
 */
@injectable({scope: BindingScope.SINGLETON})
export class ModerationService {
  constructor(
    @repository(LiveMeetingRepository) private readonly liveMeetings: LiveMeetingRepository,
    @repository(LiveConnectionRepository) private readonly connections: LiveConnectionRepository,
    @repository(AuditLogRepository) private readonly audit: AuditLogRepository,
    @repository(OutboxRepository) private readonly outbox: OutboxRepository,
    @inject(VideoBindings.PROVIDERS) private readonly providers: VideoProviders,
    @inject(RepositoryBindings.TRANSACTIONS) private readonly transactions: TransactionRunner,
  ) {}

  /** Every live connection of the attendee; with `ban`, their later join tokens for this meeting are refused. */
  async disconnect(meetingLink: string, attendee: string, ban: boolean, caller: CallerProfile): Promise<RemovalResult> {
    const {meeting, provider} = await this.moderated(meetingLink, caller);
    const live = await this.attendeeConnections(meeting, attendee, !ban);
    for (const connection of live) await provider.removeParticipant(meeting, toRef(connection));
    const result = {attendee, disconnected: live.length, banned: ban};
    await this.transactions.run(async tx => {
      if (ban) await this.connections.ban(tx, meeting.id, attendee, caller.id);
      await this.write(tx, meeting, caller, 'attendee.removed', {attendee, disconnected: live.length, banned: ban});
    });
    return result;
  }

  /** Everyone's audio but the excluded attendees'. */
  async muteAll(meetingLink: string, excludeAttendees: readonly string[], caller: CallerProfile): Promise<MuteResult> {
    const {meeting, provider} = await this.moderated(meetingLink, caller);
    requireCapability(provider, provider.capabilities.muting && !!provider.muteAll, 'mute participants', 'muting');
    const excluded = new Set(excludeAttendees);
    const kept = (await this.connections.openConnections(meeting.id)).filter(c => excluded.has(c.attendee)).map(toRef);
    await provider.muteAll!(meeting, kept);
    await this.transactions.run(tx => this.write(tx, meeting, caller, 'meeting.muted', {excludeAttendees: [...excluded]}));
    return {participants: kept.length};
  }

  async muteAttendee(meetingLink: string, attendee: string, caller: CallerProfile): Promise<MuteResult> {
    const {meeting, provider} = await this.moderated(meetingLink, caller);
    requireCapability(provider, provider.capabilities.muting && !!provider.muteParticipants, 'mute participants', 'muting');
    const live = await this.attendeeConnections(meeting, attendee, true);
    await provider.muteParticipants!(meeting, live.map(toRef));
    await this.transactions.run(tx => this.write(tx, meeting, caller, 'attendee.muted', {attendee}));
    return {participants: live.length};
  }

  /** To everyone, or to each connection of one attendee. The data is not kept (events and audit name the type only). */
  async signal(meetingLink: string, body: Record<string, unknown> | undefined, caller: CallerProfile): Promise<void> {
    const input = parseSignal(body);
    const {meeting, provider} = await this.moderated(meetingLink, caller);
    requireCapability(provider, provider.capabilities.signals && !!provider.signal, 'send signals', 'signals');
    const to = input.attendee === undefined ? undefined : (await this.attendeeConnections(meeting, input.attendee, true)).map(toRef);
    await provider.signal!(meeting, {type: input.type, data: input.data}, to);
    const data = input.attendee === undefined ? {type: input.type} : {type: input.type, attendee: input.attendee};
    await this.transactions.run(tx => this.write(tx, meeting, caller, 'meeting.signaled', data));
  }

  /** The meeting, live, and the caller allowed to moderate it. */
  private async moderated(meetingLink: string, caller: CallerProfile): Promise<{meeting: LiveMeeting; provider: VideoProvider}> {
    const meeting = await this.liveMeetings.findForControl(meetingLink, caller.tenantId);
    if (!meeting) throw new MeetingNotFoundError(meetingLink);
    if (!canModerate(meeting, caller)) {
      throw new PermissionDeniedError(`Only the meeting's creator or a holder of ${Permission.ModerateMeeting} can moderate it`);
    }
    if (meeting.endTime) throw new MeetingStateError('The meeting has ended: there is nobody left to moderate');
    return {meeting, provider: this.providers.get(meeting.provider)};
  }

  /** 404 for an attendee never seen in the meeting; 409 when `mustBeConnected` and none of their connections is live. */
  private async attendeeConnections(meeting: LiveMeeting, attendee: string, mustBeConnected: boolean): Promise<OpenConnection[]> {
    if (attendee === '') throw new ValidationError('attendee must not be empty');
    const live = await this.connections.openConnections(meeting.id, attendee);
    if (live.length > 0) return live;
    if (!(await this.connections.isKnownAttendee(meeting.id, attendee))) throw new AttendeeNotFoundError(attendee, meeting.meetingLink);
    if (mustBeConnected) throw new AttendeeNotConnectedError(attendee);
    return live;
  }

  private async write(tx: Transaction, meeting: LiveMeeting, caller: CallerProfile, type: DomainEventType, data: object): Promise<void> {
    await this.outbox.record(tx, {type, meetingId: meeting.id, actor: caller.id, data});
    await this.audit.record({actor: caller.id, action: type, entityType: 'meeting', entityId: meeting.meetingLink, after: data}, tx);
  }
}

function toRef(connection: OpenConnection): ParticipantRef {
  return {participantId: connection.connectionId, mediaIds: connection.mediaIds};
}

function requireCapability(provider: VideoProvider, capable: boolean, what: string, capability: string): void {
  if (!capable) throw new CapabilityNotSupportedError(provider.name, what, capability);
}
