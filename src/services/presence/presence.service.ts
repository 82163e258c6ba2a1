import {BindingScope, injectable, service} from '@loopback/core';
import {repository} from '@loopback/repository';
import type {VideoEvent} from '../../providers/video/video-event';
import {AttendeeRepository, ConnectionFact} from '../../repositories/attendee.repository';
import {AuditLogRepository} from '../../repositories/audit-log.repository';
import {MeetingRepository, MeetingSession} from '../../repositories/meeting.repository';
import type {Transaction} from '../../repositories/transaction';
import {JoinKeyRepository} from '../../repositories/join-key.repository';
import {CallbackClaim, WebhookEventRepository} from '../../repositories/webhook-event.repository';
import {MeetingLimitsService} from '../meetings/meeting-limits.service';

type ParticipantEvent = Extract<VideoEvent, {type: 'participant.joined' | 'participant.left'}>;

/**
 * Provider events → attendee facts and meeting state. No SQL here: each transition has one
 * writer in a repository, which records its outbox event in the same transaction.
 */
@injectable({scope: BindingScope.SINGLETON})
export class PresenceService {
  constructor(
    @repository(AttendeeRepository) private readonly attendees: AttendeeRepository,
    @repository(MeetingRepository) private readonly meetings: MeetingRepository,
    @repository(WebhookEventRepository) private readonly callbacks: WebhookEventRepository,
    @repository(AuditLogRepository) private readonly audit: AuditLogRepository,
    @repository(JoinKeyRepository) private readonly joinKeys: JoinKeyRepository,
    @service(MeetingLimitsService) private readonly limits: MeetingLimitsService,
  ) {}

  /**
   * A participant joined or left: claim, connection fact, presence and its events in one round trip.
   * A participant no attendee of ours can be named for is recorded as `unknown_attendee`.
   */
  async recordParticipant(
    claim: CallbackClaim,
    meeting: MeetingSession,
    event: ParticipantEvent,
    actor: string,
  ): Promise<'processed' | 'duplicate' | 'unknown_attendee'> {
    const fact = await this.factOf(meeting.id, event);
    if (!fact) return (await this.callbacks.claim(undefined, claim, 'unknown_attendee')) ? 'unknown_attendee' : 'duplicate';
    const recorded = await this.attendees.recordConnectionEvent(claim, fact, actor);
    // The one extra statement of the hot path, and only when a meeting that ends when empty became empty.
    if (recorded.emptiedForMinutes !== null) await this.limits.emptied(meeting.id, recorded.emptiedForMinutes);
    return recorded.transition === 'duplicate' ? 'duplicate' : 'processed';
  }

  /** The provider says the session started: the meeting went live (if it had not already). */
  async sessionStarted(tx: Transaction, meeting: MeetingSession, at: Date, actor: string): Promise<void> {
    await this.meetings.markStarted(tx, meeting.id, at, actor);
  }

  /**
   * The provider ended the session: the meeting ends (once, whoever ends it first) and every
   * attendee still connected leaves.
   */
  async sessionEnded(tx: Transaction, meeting: MeetingSession, end: {at: Date; reason: string; actor: string}): Promise<void> {
    const ended = await this.meetings.endIfOpen(tx, {meetingId: meeting.id}, end);
    await this.attendees.closeAllConnections(tx, meeting.id, end);
    if (ended) {
      await this.audit.record(
        {actor: end.actor, action: 'meeting.end', entityType: 'meeting', entityId: meeting.meetingLink, after: {endTime: end.at, reason: end.reason}},
        tx,
      );
    }
  }

  private async factOf(meetingId: number, event: ParticipantEvent): Promise<ConnectionFact | null> {
    // Without the identity on the event, the participant's earlier join names the attendee.
    const identity = event.attendee ? await this.joinKeys.identityOf(meetingId, event.attendee) : null;
    const attendee = identity?.attendeeId ?? (await this.attendees.attendeeOfConnection(meetingId, event.participantId));
    if (!attendee) return null;
    if (event.type === 'participant.left') {
      return {meetingId, attendee, connectionId: event.participantId, connected: false, at: event.occurredAt, reason: event.reason};
    }
    const extMetadata = identity?.data === undefined ? undefined : {data: identity.data};
    // Kept on the connection for moderation on providers that mute by media, in the callback's own statement.
    const mediaId = event.mediaId;
    return {meetingId, attendee, connectionId: event.participantId, connected: true, at: event.occurredAt, reason: null, extMetadata, mediaId};
  }
}
