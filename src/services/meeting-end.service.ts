import {BindingScope, inject, injectable} from '@loopback/core';
import {repository} from '@loopback/repository';
import {withTransaction} from '../db/transaction';
import {MeetingNotFoundError, MeetingStateError} from '../errors/domain-errors';
import {JobNames, JobQueue} from '../jobs/job-queue';
import {ConfigBindings, JobBindings, LoggingBindings, UtilBindings, VideoBindings} from '../keys';
import type {ServiceConfig} from '../config/service-config';
import type {Logger} from '../logging/logger';
import {describeError} from '../logging/logger';
import type {VideoProvider} from '../providers/video/types';
import {VideoProviderError} from '../providers/video/video-provider.error';
import {ArchiveRepository} from '../repositories/archive.repository';
import {AttendeeRepository} from '../repositories/attendee.repository';
import {AuditLogRepository} from '../repositories/audit-log.repository';
import {MeetingRepository} from '../repositories/meeting.repository';
import type {Clock} from '../utils/clock';

export interface TeardownJob {
  meetingId: number;
  sessionId: string;
}

/**
 * Ending a meeting: the end time is written and the teardown job queued in one
 * transaction, then the teardown is tried at once. If the provider fails part-way,
 * the meeting stays ended and the queued job retries with backoff.
 */
@injectable({scope: BindingScope.SINGLETON})
export class MeetingEndService {
  constructor(
    @repository(MeetingRepository) private readonly meetings: MeetingRepository,
    @repository(AttendeeRepository) private readonly attendees: AttendeeRepository,
    @repository(ArchiveRepository) private readonly archives: ArchiveRepository,
    @repository(AuditLogRepository) private readonly audit: AuditLogRepository,
    @inject(VideoBindings.PROVIDER) private readonly provider: VideoProvider,
    @inject(JobBindings.QUEUE) private readonly queue: JobQueue,
    @inject(UtilBindings.CLOCK) private readonly clock: Clock,
    @inject(LoggingBindings.LOGGER) private readonly logger: Logger,
    @inject(ConfigBindings.SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  async end(meetingLink: string, actor: string): Promise<void> {
    const now = this.clock.now();
    const ended = await withTransaction(this.meetings.dataSource.pool, async client => {
      const meeting = await this.meetings.endIfOpen(client, meetingLink, now, actor);
      if (!meeting) return null;
      const job: TeardownJob = {meetingId: meeting.id, sessionId: meeting.sessionId};
      const jobId = await this.queue.enqueue(JobNames.MeetingTeardown, job, {
        client,
        singletonKey: `teardown:${meeting.id}`,
        startAfterSeconds: this.config.teardownSafetyNetSeconds,
      });
      await this.audit.record({actor, action: 'meeting.end', entityType: 'meeting', entityId: meetingLink, after: {endTime: now}}, client);
      return {job, jobId};
    });
    if (!ended) {
      const meeting = await this.meetings.findByLink(meetingLink);
      if (!meeting) throw new MeetingNotFoundError(meetingLink);
      throw new MeetingStateError('The meeting has already ended and cannot be stopped again');
    }
    try {
      await this.teardown(ended.job);
      if (ended.jobId) await this.queue.cancel(JobNames.MeetingTeardown, ended.jobId);
    } catch (error) {
      this.logger.warn('meeting ended, provider teardown incomplete: the queued job will retry', {
        meetingLink,
        error: describeError(error as Error),
      });
    }
  }

  /**
   * Disconnects every live connection (ours and the provider's list) and stops
   * recording archives. Idempotent: the job may run it again.
   */
  async teardown(job: TeardownJob): Promise<void> {
    // Our records and the provider's lists both count: a callback may have been lost.
    const [known, listed, recorded, providerArchives] = await Promise.all([
      this.attendees.liveConnectionIds(job.meetingId),
      this.provider.listConnections(job.sessionId),
      this.archives.recordingArchiveIds(job.meetingId),
      this.provider.listArchives({sessionId: job.sessionId, offset: 0, count: 50}),
    ]);
    const connectionIds = new Set([...known, ...listed.filter(c => c.state !== 'disconnected').map(c => c.connectionId)]);
    const recording = new Set([
      ...recorded,
      ...providerArchives.items.filter(a => a.status === 'started' || a.status === 'paused').map(a => a.id),
    ]);
    const failures: unknown[] = [];
    for (const connectionId of connectionIds) {
      await this.provider.disconnect(job.sessionId, connectionId).catch(error => failures.push(error));
    }
    for (const archiveId of recording) {
      await this.provider.stopArchive(archiveId).catch(error => failures.push(error));
    }
    if (failures.length > 0) {
      const first = failures[0];
      throw first instanceof VideoProviderError ? first : new Error(`teardown failed for ${failures.length} call(s)`, {cause: first});
    }
  }
}
