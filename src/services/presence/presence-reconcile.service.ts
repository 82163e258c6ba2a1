import {BindingScope, inject, injectable} from '@loopback/core';
import {repository} from '@loopback/repository';
import type {ServiceConfig} from '../../config/service-config';
import {ConfigBindings, LoggingBindings, RepositoryBindings, UtilBindings, VideoBindings} from '../../keys';
import type {Logger} from '../../logging/logger';
import {describeError} from '../../logging/logger';
import type {VideoProviders} from '../../providers/video/video-providers';
import {AttendeeRepository} from '../../repositories/attendee.repository';
import {JoinKeyRepository} from '../../repositories/join-key.repository';
import {LiveConnectionRepository} from '../../repositories/live-connection.repository';
import {ClaimedMeeting, LiveMeetingRepository} from '../../repositories/live-meeting.repository';
import {TransactionRunner} from '../../repositories/transaction';
import type {Clock} from '../../utils/clock';
import {planPresenceRepair, PresenceRepair} from './presence-repair';

/** The reason a leave the service inferred carries (connection, event), where a callback's would say why. */
export const INFERRED_REASON = 'inferred';
/** The actor of repaired presence. */
export const RECONCILER_ACTOR = 'system:presence-reconcile';
/** Meetings one run claims; the next run (an interval later, on any replica) takes the rest. */
const MEETINGS_PER_RUN = 200;

/**
 * Presence that heals itself: a live meeting's open connections are compared with the provider's live
 * participants and the difference fixed through the same presence function callbacks use, so events are
 * written once. Meetings are claimed in PostgreSQL, so every replica may run this and none repeats another.
 */
@injectable({scope: BindingScope.SINGLETON})
export class PresenceReconcileService {
  constructor(
    @repository(LiveMeetingRepository) private readonly liveMeetings: LiveMeetingRepository,
    @repository(LiveConnectionRepository) private readonly connections: LiveConnectionRepository,
    @repository(AttendeeRepository) private readonly attendees: AttendeeRepository,
    @repository(JoinKeyRepository) private readonly joinKeys: JoinKeyRepository,
    @inject(VideoBindings.PROVIDERS) private readonly providers: VideoProviders,
    @inject(RepositoryBindings.TRANSACTIONS) private readonly transactions: TransactionRunner,
    @inject(UtilBindings.CLOCK) private readonly clock: Clock,
    @inject(ConfigBindings.SERVICE_CONFIG) private readonly config: ServiceConfig,
    @inject(LoggingBindings.LOGGER) private readonly logger: Logger,
  ) {}

  /** Checks every meeting that is due; returns how many were checked. One meeting's failure does not stop the others. */
  async reconcileDue(): Promise<number> {
    const claimed = await this.liveMeetings.claimDue(this.config.presenceReconcileSeconds, MEETINGS_PER_RUN);
    for (const meeting of claimed) {
      try {
        await this.reconcile(meeting);
      } catch (error) {
        // The next interval tries again: the claim only stamped when it was last tried.
        this.logger.warn('presence reconciliation failed', {meetingLink: meeting.meetingLink, error: describeError(error as Error)});
      }
    }
    return claimed.length;
  }

  /**
   * An ended meeting has nobody left by definition: what our records still hold open leaves now, inferred.
   * A live one is compared with the provider's list.
   */
  async reconcile(meeting: ClaimedMeeting): Promise<void> {
    if (meeting.ended) {
      const at = this.clock.now();
      await this.transactions.run(tx => this.attendees.closeAllConnections(tx, meeting.id, {at, reason: INFERRED_REASON, actor: RECONCILER_ACTOR}));
      return;
    }
    // Read before the provider's list: a connection opened after this instant may be missing from the list.
    const listedAt = this.clock.now();
    const participants = await this.providers.get(meeting.provider).listParticipants(meeting);
    const [open, known] = await Promise.all([this.connections.openConnections(meeting.id), this.connections.knownConnectionIds(meeting.id)]);
    const repair = planPresenceRepair({open, known, participants, listedAt});
    await this.apply(meeting, repair);
  }

  private async apply(meeting: ClaimedMeeting, repair: PresenceRepair): Promise<void> {
    const at = this.clock.now();
    for (const gone of repair.left) {
      await this.connections.applyInferred(
        {meetingId: meeting.id, attendee: gone.attendee, connectionId: gone.connectionId, connected: false, at, reason: INFERRED_REASON},
        RECONCILER_ACTOR,
      );
    }
    for (const present of repair.joined) {
      const identity = await this.joinKeys.identityOf(meeting.id, present.identity);
      if (!identity) continue; // A participant this service never admitted (a key it did not issue): not an attendee of ours.
      await this.connections.applyInferred(
        {meetingId: meeting.id, attendee: identity.attendeeId, connectionId: present.participantId, connected: true, at, reason: null},
        RECONCILER_ACTOR,
      );
    }
  }
}
