import {BindingScope, inject, injectable} from '@loopback/core';
import {repository} from '@loopback/repository';
import type {PoolClient} from 'pg';
import {withTransaction} from '../db/transaction';
import {ConfigBindings, LoggingBindings, UtilBindings, VideoBindings} from '../keys';
import type {ServiceConfig} from '../config/service-config';
import type {Clock} from '../utils/clock';
import type {Logger} from '../logging/logger';
import type {VideoProvider} from '../providers/video/types';
import {ReceivedVideoEvent, STREAM_ENDS_KEEPING_CONNECTION, VideoEvent} from '../providers/video/video-event';
import {ArchiveRepository} from '../repositories/archive.repository';
import {AttendeeRepository, ConnectionFact} from '../repositories/attendee.repository';
import {StorageTargetRepository} from '../repositories/storage-target.repository';
import {WebhookEventRepository, WebhookOutcome} from '../repositories/webhook-event.repository';
import {decodeConnectionData} from './connection-data';

export type EventHandling = WebhookOutcome | 'duplicate' | 'unknown_session';

interface MeetingRef {
  id: number;
}

/** Sessions remembered per process: plenty for the meetings live at one time. */
const MEETING_CACHE_ENTRIES = 10_000;

/** Turns verified provider callbacks into attendee presence and archive records. */
@injectable({scope: BindingScope.SINGLETON})
export class VideoEventService {
  private readonly meetingBySession = new Map<string, MeetingRef>();
  private readonly retentionDays: number;

  constructor(
    @repository(WebhookEventRepository) private readonly events: WebhookEventRepository,
    @repository(AttendeeRepository) private readonly attendees: AttendeeRepository,
    @repository(ArchiveRepository) private readonly archives: ArchiveRepository,
    @repository(StorageTargetRepository) private readonly storageTargets: StorageTargetRepository,
    @inject(VideoBindings.PROVIDER) private readonly provider: VideoProvider,
    @inject(LoggingBindings.LOGGER) private readonly logger: Logger,
    @inject(UtilBindings.CLOCK) private readonly clock: Clock,
    @inject(ConfigBindings.SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.retentionDays = config.callbackRetentionDays;
  }

  /** Scheduled job: forgets callbacks older than the retention; a redelivery that late is not expected. */
  async pruneOldCallbacks(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.retentionDays * 86_400_000);
    const removed = await this.events.pruneOlderThan(cutoff);
    if (removed > 0) this.logger.info('old callback records pruned', {removed, retentionDays: this.retentionDays});
    return removed;
  }

  /** Everything one callback changes commits together, or nothing does (the sender then retries). */
  async handle(received: ReceivedVideoEvent): Promise<EventHandling> {
    const {event, dedupeKey, payloadJson} = received;
    const pool = this.events.dataSource.pool;
    let meeting: MeetingRef | null = null;
    if (event.type !== 'unsupported') {
      meeting = await this.findMeeting(event.sessionId);
      if (!meeting) {
        this.logger.info('callback for a session this service did not create: ignored', {event: event.type, sessionId: event.sessionId});
        return 'unknown_session';
      }
    }
    const claim = {dedupeKey, eventType: eventTypeName(event), sessionId: event.sessionId, payloadJson};
    const fact = meeting ? await this.connectionFact(meeting.id, event) : undefined;
    if (fact) return (await this.attendees.recordConnectionEvent(claim, fact)) ? 'processed' : 'duplicate';
    if (fact === null) return (await this.events.claim(pool, claim, 'unknown_attendee')) ? 'unknown_attendee' : 'duplicate';
    return withTransaction(pool, async client => {
      if (!(await this.events.claim(client, claim))) return 'duplicate';
      const outcome = meeting ? await this.apply(client, meeting, event) : 'not_supported';
      if (outcome !== 'processed') await this.events.setOutcome(client, dedupeKey, outcome);
      return outcome;
    });
  }

  /**
   * The fact a connection callback records (one round trip, see AttendeeRepository);
   * null when no attendee of ours can be named; undefined for every other event.
   */
  private async connectionFact(meetingId: number, event: VideoEvent): Promise<ConnectionFact | null | undefined> {
    switch (event.type) {
      case 'connection.created':
      case 'stream.created': {
        const identity = decodeConnectionData(event.connectionData);
        if (!identity) {
          this.logger.warn('connection without an attendee identity from this service: ignored', {connectionId: event.connectionId});
          return null;
        }
        const at = event.type === 'stream.created' ? event.connectedAt : event.occurredAt;
        const extMetadata = identity.data === undefined ? undefined : {data: identity.data};
        return {meetingId, attendee: identity.attendee, connectionId: event.connectionId, connected: true, at, reason: null, extMetadata};
      }
      case 'stream.destroyed':
        // Unpublishing is not leaving: the connection stays up.
        if (event.reason !== null && STREAM_ENDS_KEEPING_CONNECTION.includes(event.reason)) return undefined;
        return this.connectionGoneFact(meetingId, event);
      case 'connection.destroyed':
        return this.connectionGoneFact(meetingId, event);
      default:
        return undefined;
    }
  }

  private async connectionGoneFact(
    meetingId: number,
    event: Extract<VideoEvent, {type: 'stream.destroyed' | 'connection.destroyed'}>,
  ): Promise<ConnectionFact | null> {
    // Without connection data, the connection's earlier callback names the attendee.
    const attendee =
      decodeConnectionData(event.connectionData)?.attendee ?? (await this.attendees.attendeeOfConnection(this.events.dataSource.pool, meetingId, event.connectionId));
    if (!attendee) return null;
    return {meetingId, attendee, connectionId: event.connectionId, connected: false, at: event.occurredAt, reason: event.reason};
  }

  /** Events other than connection facts, inside the claim's transaction. */
  private async apply(client: PoolClient, meeting: MeetingRef, event: VideoEvent): Promise<WebhookOutcome> {
    switch (event.type) {
      case 'stream.destroyed':
        // Reached only for stream ends that keep the connection (see connectionFact).
        return 'processed';
      case 'session.destroyed': {
        // Lock in a fixed order before touching rows, as connection events do, so the two never deadlock.
        const affected = (await this.attendees.attendeesWithOpenConnections(client, meeting.id)).sort();
        for (const attendee of affected) await this.attendees.lockAttendee(client, meeting.id, attendee);
        await this.attendees.closeAllConnections(client, meeting.id, event.occurredAt, event.reason ?? 'sessionDestroyed');
        for (const attendee of affected) await this.attendees.refreshPresence(client, meeting.id, attendee, undefined);
        return 'processed';
      }
      case 'session.created':
        return 'processed';
      case 'archive.status':
        return this.archiveChanged(client, meeting.id, event);
      default:
        return 'not_supported';
    }
  }

  private async archiveChanged(client: PoolClient, meetingId: number, event: Extract<VideoEvent, {type: 'archive.status'}>): Promise<WebhookOutcome> {
    const {archive} = event;
    const storage = await this.storageTargets.uploadLocation(client, this.provider.applicationId, archive);
    const changed = await this.archives.upsert(client, meetingId, event.sessionId, archive, storage);
    if (!changed) return 'stale';
    await client.query(
      `UPDATE video_session_details SET is_archived = true, archive_id = $2,
              upload_target = COALESCE($3, upload_target), modified_on = now() WHERE id = $1`,
      [meetingId, archive.id, storage.uploadTarget],
    );
    return 'processed';
  }

  /**
   * A session's meeting never changes once created, so known answers are kept
   * (bounded); unknown sessions are always asked again.
   */
  private async findMeeting(sessionId: string): Promise<MeetingRef | null> {
    const known = this.meetingBySession.get(sessionId);
    if (known) return known;
    const result = await this.events.dataSource.pool.query({
      name: 'vcs-meeting-by-session',
      text: 'SELECT id FROM video_session_details WHERE session_id = $1',
      values: [sessionId],
    });
    const row = result.rows[0] as {id: string} | undefined;
    if (!row) return null;
    const meeting = {id: Number(row.id)};
    if (this.meetingBySession.size >= MEETING_CACHE_ENTRIES) {
      this.meetingBySession.delete(this.meetingBySession.keys().next().value as string);
    }
    this.meetingBySession.set(sessionId, meeting);
    return meeting;
  }
}

function eventTypeName(event: VideoEvent): string {
  return event.type === 'unsupported' ? `unsupported:${event.providerEvent}` : event.type;
}
