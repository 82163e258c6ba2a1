import {BindingScope, inject, injectable} from '@loopback/core';
import {repository} from '@loopback/repository';
import type {ServiceConfig} from '../../config/service-config';
import {MeetingNotFoundError, MeetingStateError} from '../../errors/domain-errors';
import {JobNames, JobQueue} from '../../jobs/job-queue';
import {ConfigBindings, JobBindings, LoggingBindings, RepositoryBindings, UtilBindings, VideoBindings} from '../../keys';
import type {Logger} from '../../logging/logger';
import {describeError} from '../../logging/logger';
import type {VideoProviders} from '../../providers/video/video-providers';
import {ArchiveRepository} from '../../repositories/archive.repository';
import {AttendeeRepository} from '../../repositories/attendee.repository';
import {AuditLogRepository} from '../../repositories/audit-log.repository';
import {MeetingRepository, MeetingSession, TenantScope} from '../../repositories/meeting.repository';
import {Transaction, TransactionRunner} from '../../repositories/transaction';
import type {Clock} from '../../utils/clock';
import type {MeetingActor} from './meeting-actor';

/** The actor of what the service does on its own (lifecycle limits), in events and audit rows. */
export const SERVICE_ACTOR = 'service';

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
    @inject(VideoBindings.PROVIDERS) private readonly providers: VideoProviders,
    @inject(RepositoryBindings.TRANSACTIONS) private readonly transactions: TransactionRunner,
    @inject(JobBindings.QUEUE) private readonly queue: JobQueue,
    @inject(UtilBindings.CLOCK) private readonly clock: Clock,
    @inject(LoggingBindings.LOGGER) private readonly logger: Logger,
    @inject(ConfigBindings.SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  async end(meetingLink: string, actor: MeetingActor): Promise<void> {
    const ended = await this.endAndTearDown({meetingLink, tenantId: actor.tenantId}, {actor: actor.id, reason: 'ended'}, now => ({endTime: now}));
    if (!ended) {
      const meeting = await this.meetings.findByLink(meetingLink, actor.tenantId);
      if (!meeting) throw new MeetingNotFoundError(meetingLink);
      throw new MeetingStateError('The meeting has already ended and cannot be stopped again');
    }
  }

  /**
   * The service ends a meeting on its own (a lifecycle limit was reached), through the same durable teardown as an
   * API end: false when something else ended it first.
   */
  async endForLimit(meetingId: number, reason: string): Promise<boolean> {
    return (await this.endAndTearDown({meetingId}, {actor: SERVICE_ACTOR, reason}, now => ({endTime: now, reason}))) !== null;
  }

  /**
   * The end, its teardown job and its audit row commit together; then the teardown is tried at once, and the job
   * (the safety net) is cancelled when it succeeds. Null when the meeting was not open.
   */
  private async endAndTearDown(
    which: {meetingLink: string; tenantId: TenantScope} | {meetingId: number},
    end: {actor: string; reason: string},
    auditAfter: (now: Date) => object,
  ): Promise<MeetingSession | null> {
    const now = this.clock.now();
    const ended = await this.transactions.run(async tx => {
      const meeting = await this.meetings.endIfOpen(tx, which, {at: now, ...end});
      if (!meeting) return null;
      const queued = await this.queueTeardown(tx, meeting);
      await this.audit.record({actor: end.actor, action: 'meeting.end', entityType: 'meeting', entityId: meeting.meetingLink, after: auditAfter(now)}, tx);
      return {meeting, ...queued};
    });
    if (!ended) return null;
    try {
      await this.teardown(ended.job);
      if (ended.jobId) await this.queue.cancel(JobNames.MeetingTeardown, ended.jobId);
    } catch (error) {
      this.logger.warn('meeting ended, provider teardown incomplete: the queued job will retry', {
        meetingLink: ended.meeting.meetingLink,
        reason: end.reason,
        error: describeError(error as Error),
      });
    }
    return ended.meeting;
  }

  /** Queues the provider teardown in the transaction that ends the meeting, behind the inline attempt. */
  private async queueTeardown(tx: Transaction, meeting: MeetingSession): Promise<{job: TeardownJob; jobId: string | null}> {
    const job: TeardownJob = {meetingId: meeting.id, sessionId: meeting.sessionId};
    const jobId = await this.queue.enqueue(JobNames.MeetingTeardown, job, {
      transaction: tx,
      singletonKey: `teardown:${meeting.id}`,
      startAfterSeconds: this.config.teardownSafetyNetSeconds,
    });
    return {job, jobId};
  }

  /**
   * Ends the session at its provider: every participant our records or the provider's lists
   * know is removed, every recording stopped (a callback may have been lost). Idempotent:
   * the job may run it again.
   */
  async teardown(job: TeardownJob): Promise<void> {
    // The meeting names its provider (jobs queued before meetings knew theirs carry only ids).
    const [session, participantIds, recordingArchiveIds] = await Promise.all([
      this.meetings.findSessionById(job.meetingId),
      this.attendees.liveConnectionIds(job.meetingId),
      this.archives.recordingArchiveIds(job.meetingId),
    ]);
    if (!session) return;
    await this.providers.get(session.provider).endSession(session, {participantIds, recordingArchiveIds});
  }
}
