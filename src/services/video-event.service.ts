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
import {AttendeeRepository} from '../repositories/attendee.repository';
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
  async handle(received: ReceivedVideoEvent, payload: unknown): Promise<EventHandling> {
    const {event, dedupeKey} = received;
    const pool = this.events.dataSource.pool;
    let meeting: MeetingRef | null = null;
    if (event.type !== 'unsupported') {
      meeting = await this.findMeeting(event.sessionId);
      if (!meeting) {
        this.logger.info('callback for a session this service did not create: ignored', {event: event.type, sessionId: event.sessionId});
        return 'unknown_session';
      }
    }
    return withTransaction(pool, async client => {
      const claimed = await this.events.claim(client, {dedupeKey, eventType: eventTypeName(event), sessionId: event.sessionId, payload});
      if (!claimed) return 'duplicate';
      const outcome = meeting ? await this.apply(client, meeting, event) : 'not_supported';
      if (outcome !== 'processed') await this.events.setOutcome(client, dedupeKey, outcome);
      return outcome;
    });
  }

  private async apply(client: PoolClient, meeting: MeetingRef, event: VideoEvent): Promise<WebhookOutcome> {
    switch (event.type) {
      case 'connection.created':
        return this.connectionSeen(client, meeting.id, event.connectionId, event.connectionData, event.occurredAt);
      case 'stream.created':
        return this.connectionSeen(client, meeting.id, event.connectionId, event.connectionData, event.connectedAt);
      case 'connection.destroyed':
        return this.connectionGone(client, meeting.id, event.connectionId, event.connectionData, event.occurredAt, event.reason);
      case 'stream.destroyed':
        // Unpublishing is not leaving: the connection stays up.
        if (event.reason !== null && STREAM_ENDS_KEEPING_CONNECTION.includes(event.reason)) return 'processed';
        return this.connectionGone(client, meeting.id, event.connectionId, event.connectionData, event.occurredAt, event.reason);
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

  private async connectionSeen(client: PoolClient, meetingId: number, connectionId: string, data: string | null, at: Date): Promise<WebhookOutcome> {
    const identity = decodeConnectionData(data);
    if (!identity) {
      this.logger.warn('connection without an attendee identity from this service: ignored', {connectionId});
      return 'unknown_attendee';
    }
    await this.attendees.lockAttendee(client, meetingId, identity.attendee);
    await this.attendees.recordConnected(client, meetingId, connectionId, identity.attendee, at);
    await this.attendees.refreshPresence(client, meetingId, identity.attendee, identity.data === undefined ? undefined : {data: identity.data});
    return 'processed';
  }

  private async connectionGone(
    client: PoolClient,
    meetingId: number,
    connectionId: string,
    data: string | null,
    at: Date,
    reason: string | null,
  ): Promise<WebhookOutcome> {
    const attendee = decodeConnectionData(data)?.attendee ?? (await this.attendees.attendeeOfConnection(client, meetingId, connectionId));
    if (!attendee) return 'unknown_attendee';
    await this.attendees.lockAttendee(client, meetingId, attendee);
    await this.attendees.recordDisconnected(client, meetingId, connectionId, attendee, at, reason);
    await this.attendees.refreshPresence(client, meetingId, attendee, undefined);
    return 'processed';
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
