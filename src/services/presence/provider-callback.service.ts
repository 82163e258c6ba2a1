import {BindingScope, inject, injectable, service} from '@loopback/core';
import {repository} from '@loopback/repository';
import {WebhookProviderUnknownError} from '../../errors/domain-errors';
import {LoggingBindings, MetricsBindings, RepositoryBindings, VideoBindings} from '../../keys';
import type {CallbackMetrics} from '../../metrics/callback-metrics';
import type {ServiceMetrics} from '../../metrics/service-metrics';
import type {Logger} from '../../logging/logger';
import type {ReceivedVideoEvent, VideoEvent, WebhookRequest} from '../../providers/video/video-event';
import type {VideoProviders} from '../../providers/video/video-providers';
import {MeetingRepository, MeetingSession} from '../../repositories/meeting.repository';
import {providerActor} from '../../repositories/outbox.repository';
import {isUnstorableValue, Transaction, TransactionRunner} from '../../repositories/transaction';
import {CallbackClaim, WebhookEventRepository, WebhookOutcome} from '../../repositories/webhook-event.repository';
import {WebhookVerificationError} from '../../signing/webhook-verification.error';
import {ArchiveStatusService} from '../archives/archive-status.service';
import {PresenceService} from './presence.service';

export type EventHandling = WebhookOutcome | 'duplicate' | 'unknown_session';

/** What the callback route answers: a challenge body, or nothing (204). */
export type CallbackReply = {status: 200; body: object} | {status: 204};

/** Sessions remembered per process: plenty for the meetings live at one time. */
const MEETING_CACHE_ENTRIES = 10_000;

/**
 * A provider's signed callback, downhill: the provider verifies and parses the raw bytes into
 * neutral events; each is claimed once (dedupe key) and applied by the service that owns it.
 */
@injectable({scope: BindingScope.SINGLETON})
export class ProviderCallbackService {
  private readonly meetingBySession = new Map<string, MeetingSession>();
  private readonly metrics?: CallbackMetrics;

  constructor(
    @repository(WebhookEventRepository) private readonly callbacks: WebhookEventRepository,
    @repository(MeetingRepository) private readonly meetings: MeetingRepository,
    @service(PresenceService) private readonly presence: PresenceService,
    @service(ArchiveStatusService) private readonly archiveStatus: ArchiveStatusService,
    @inject(VideoBindings.PROVIDERS) private readonly providers: VideoProviders,
    @inject(RepositoryBindings.TRANSACTIONS) private readonly transactions: TransactionRunner,
    @inject(LoggingBindings.LOGGER) private readonly logger: Logger,
    @inject(MetricsBindings.METRICS, {optional: true}) metrics?: ServiceMetrics,
  ) {
    this.metrics = metrics?.callbacks;
    this.metrics?.prepare(
      providers.all().map(p => p.name),
      VIDEO_EVENT_TYPES,
      ['signature', 'stale', 'unparseable', 'unstorable'],
    );
  }

  /** `path` and `kind`: the route's `/webhooks/{path}[/{kind}]`. */
  async receive(path: string, kind: string | undefined, request: Omit<WebhookRequest, 'kind'>): Promise<CallbackReply> {
    const route = this.providers.forWebhookPath(path, kind);
    if (!route) throw new WebhookProviderUnknownError(path);
    const providerName = route.provider.name;
    let result;
    try {
      result = route.provider.parseWebhook({...request, kind: route.kind});
    } catch (error) {
      if (error instanceof WebhookVerificationError) {
        this.logger.warn('callback rejected', {provider: providerName, reason: error.reason});
        this.metrics?.rejectedFor(providerName, error.failure);
      } else if ((error as {code?: unknown}).code === 'VALIDATION_FAILED') {
        // Signed, but not a body the provider sends: the provider's parser says so with the neutral code.
        this.metrics?.rejectedFor(providerName, 'unparseable');
      }
      throw error;
    }
    if (result.type === 'challenge') return {status: 200, body: result.responseBody};
    for (const received of result.events) {
      this.metrics?.eventReceived(providerName, received.event.type);
      const outcome = await this.handle(providerName, received);
      if (outcome === 'duplicate') this.metrics?.duplicate(providerName, received.event.type);
      this.logger.debug('callback handled', {provider: providerName, event: received.event.type, outcome});
    }
    return {status: 204};
  }

  /**
   * Everything one event changes commits together with its claim, or nothing does (the sender then
   * retries). An event the database refuses a value of (a NUL, a number or date out of range) would
   * be refused on every retry: it is recorded as `rejected` with the reason instead.
   */
  async handle(providerName: string, received: ReceivedVideoEvent): Promise<EventHandling> {
    const {event} = received;
    const claim: CallbackClaim = {
      dedupeKey: received.dedupeKey,
      eventType: received.recordedType,
      sessionId: event.sessionId,
      payloadJson: received.payloadJson,
    };
    const invalidTime = invalidTimeOf(event);
    if (invalidTime) return this.reject(providerName, claim, `${invalidTime} is not a valid date`);
    try {
      return await this.claimAndApply(providerName, event, claim);
    } catch (error) {
      if (!isUnstorableValue(error)) throw error;
      return this.reject(providerName, claim, `${(error as {code: string}).code}: ${(error as Error).message}`);
    }
  }

  private async reject(providerName: string, claim: CallbackClaim, reason: string): Promise<EventHandling> {
    this.logger.warn('callback rejected: it cannot be stored', {provider: providerName, event: claim.eventType, reason});
    const recorded = await this.callbacks.recordRejected(claim, reason);
    if (recorded) this.metrics?.rejectedFor(providerName, 'unstorable');
    return recorded ? 'rejected' : 'duplicate';
  }

  private async claimAndApply(providerName: string, event: VideoEvent, claim: CallbackClaim): Promise<EventHandling> {
    if (event.type === 'unsupported') return (await this.callbacks.claim(undefined, claim, 'not_supported')) ? 'not_supported' : 'duplicate';
    const meeting =
      (await this.findMeeting(providerName, event.sessionId)) ??
      (event.type === 'archive.status' && event.sessionName ? await this.meetings.findSessionByName(providerName, event.sessionName) : null);
    if (!meeting) {
      this.logger.info('callback for a session this service did not create: ignored', {provider: providerName, event: event.type, sessionId: event.sessionId});
      return 'unknown_session';
    }
    const actor = providerActor(providerName);
    if (event.type === 'participant.joined' || event.type === 'participant.left') {
      return this.presence.recordParticipant(claim, meeting, event, actor);
    }
    return this.transactions.run(async tx => {
      if (!(await this.callbacks.claim(tx, claim))) return 'duplicate';
      const outcome = await this.apply(tx, meeting, event, actor);
      if (outcome !== 'processed') await this.callbacks.setOutcome(tx, claim.dedupeKey, outcome);
      return outcome;
    });
  }

  private async apply(
    tx: Transaction,
    meeting: MeetingSession,
    event: Exclude<VideoEvent, {type: 'participant.joined' | 'participant.left' | 'unsupported'}>,
    actor: string,
  ): Promise<WebhookOutcome> {
    switch (event.type) {
      case 'ignored':
        return 'processed';
      case 'session.started':
        await this.presence.sessionStarted(tx, meeting, event.occurredAt, actor);
        return 'processed';
      case 'session.ended':
        await this.presence.sessionEnded(tx, meeting, {at: event.occurredAt, reason: event.reason ?? 'sessionDestroyed', actor});
        return 'processed';
      case 'archive.status':
        // Filed under the meeting's session, also when the callback named one instance of it (found by name).
        return (await this.archiveStatus.apply(tx, meeting, {...event.archive, sessionId: meeting.sessionId}, actor)) ? 'processed' : 'stale';
    }
  }

  /**
   * A session's meeting never changes once created, so known answers are kept
   * (bounded); unknown sessions are always asked again.
   */
  private async findMeeting(provider: string, sessionId: string): Promise<MeetingSession | null> {
    const cacheKey = `${provider}\u0000${sessionId}`;
    const known = this.meetingBySession.get(cacheKey);
    if (known) return known;
    const meeting = await this.meetings.findSession(provider, sessionId);
    if (!meeting) return null;
    if (this.meetingBySession.size >= MEETING_CACHE_ENTRIES) {
      this.meetingBySession.delete(this.meetingBySession.keys().next().value as string);
    }
    this.meetingBySession.set(cacheKey, meeting);
    return meeting;
  }
}

/** Every neutral event type, for the callback metrics' series (a `Record`, so a new type must be listed). */
const EVENT_TYPES: Record<VideoEvent['type'], true> = {
  'participant.joined': true,
  'participant.left': true,
  'session.started': true,
  'session.ended': true,
  'archive.status': true,
  ignored: true,
  unsupported: true,
};
const VIDEO_EVENT_TYPES = Object.keys(EVENT_TYPES) as Array<VideoEvent['type']>;

/** A time the provider sent that is no date at all (pg would send it as garbage, or refuse it). */
function invalidTimeOf(event: VideoEvent): string | undefined {
  if ('occurredAt' in event && Number.isNaN(event.occurredAt.getTime())) return 'the event time';
  if (event.type === 'archive.status' && Number.isNaN(event.archive.createdAt.getTime())) return 'the archive creation time';
  return undefined;
}
