import {BindingScope, inject, injectable, service} from '@loopback/core';
import {repository} from '@loopback/repository';
import type {ServiceConfig} from '../../config/service-config';
import {JobNames, JobQueue} from '../../jobs/job-queue';
import {ConfigBindings, JobBindings} from '../../keys';
import {MeetingLimitsRepository} from '../../repositories/meeting-limits.repository';
import type {Transaction} from '../../repositories/transaction';
import {MeetingEndService} from './meeting-end.service';

/** Which limit a queued check looks at; also the meeting's `end_reason` (and `meeting.ended`'s) when it is reached. */
export type MeetingLimit = 'max_duration' | 'end_when_empty';

export interface MeetingLimitJob {
  meetingId: number;
  limit: MeetingLimit;
}

/**
 * Lifecycle limits, scheduled in PostgreSQL: a check is a pg-boss job held back (`startAfter`) until the limit may
 * be reached, queued in the transaction that made it due where there is one. The check reads the meeting again and
 * ends it only when the limit is reached now, so a stale or duplicate check is harmless; one that comes too early
 * queues the next for the time left. No timer lives in a process: a restart or another replica runs the check.
 */
@injectable({scope: BindingScope.SINGLETON})
export class MeetingLimitsService {
  private readonly minuteSeconds: number;

  constructor(
    @repository(MeetingLimitsRepository) private readonly limits: MeetingLimitsRepository,
    @service(MeetingEndService) private readonly meetingEnd: MeetingEndService,
    @inject(JobBindings.QUEUE) private readonly queue: JobQueue,
    @inject(ConfigBindings.SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.minuteSeconds = config.lifecycleMinuteSeconds;
  }

  /** A new meeting with a maximum duration: it cannot be reached before that long from now (it starts later). */
  async created(tx: Transaction, meetingId: number, maxDurationMinutes: number | null): Promise<void> {
    if (maxDurationMinutes !== null) await this.enqueue(tx, {meetingId, limit: 'max_duration'}, maxDurationMinutes * this.minuteSeconds);
  }

  /** An edit set a limit: check now, as it may already be reached (a shorter duration, an empty meeting). */
  async edited(tx: Transaction, meetingId: number, set: {maxDurationMinutes: boolean; endWhenEmptyMinutes: boolean}): Promise<void> {
    if (set.maxDurationMinutes) await this.enqueue(tx, {meetingId, limit: 'max_duration'}, 0);
    if (set.endWhenEmptyMinutes) await this.enqueue(tx, {meetingId, limit: 'end_when_empty'}, 0);
  }

  /**
   * The last attendee left a meeting that ends when empty. The departure committed in its own statement (the
   * callback's one round trip), so this is queued right after it rather than in its transaction.
   */
  async emptied(meetingId: number, endWhenEmptyMinutes: number): Promise<void> {
    await this.enqueue(undefined, {meetingId, limit: 'end_when_empty'}, endWhenEmptyMinutes * this.minuteSeconds);
  }

  /** The queued check: ends the meeting if its limit is reached now, else looks again when it may be. */
  async check(job: MeetingLimitJob): Promise<void> {
    const state = await this.limits.state(job.meetingId, this.minuteSeconds);
    if (!state || state.closed) return;
    let dueInSeconds: number | null;
    if (job.limit === 'max_duration') {
      if (state.maxDurationMinutes === null) return;
      // Not live yet: the limit counts from the start, which is no earlier than now.
      dueInSeconds = state.maxDurationDueInSeconds ?? state.maxDurationMinutes * this.minuteSeconds;
    } else {
      // Cleared, or someone is present (came back): the next departure queues a new check.
      if (state.endWhenEmptyMinutes === null || state.emptyDueInSeconds === null) return;
      dueInSeconds = state.emptyDueInSeconds;
    }
    if (dueInSeconds <= 0) {
      await this.meetingEnd.endForLimit(job.meetingId, job.limit);
      return;
    }
    await this.enqueue(undefined, job, dueInSeconds);
  }

  private async enqueue(tx: Transaction | undefined, job: MeetingLimitJob, afterSeconds: number): Promise<void> {
    // pg-boss holds jobs back by whole seconds: round up, so a check never runs before its time.
    await this.queue.enqueue(JobNames.MeetingLimits, job, {transaction: tx, startAfterSeconds: Math.ceil(afterSeconds)});
  }
}
