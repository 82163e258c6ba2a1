import {injectable, service} from '@loopback/core';
import {asJobHandler} from '../../jobs/as-job-handler';
import type {JobHandler, RetryPolicy} from '../../jobs/job-handler';
import {JobNames} from '../../jobs/job-queue';
import {MeetingLimitJob, MeetingLimitsService} from './meeting-limits.service';

/** Ends a meeting whose lifecycle limit was reached (maxDurationMinutes, endWhenEmptyMinutes). */
@injectable(asJobHandler)
export class MeetingLimitsHandler implements JobHandler<MeetingLimitJob> {
  readonly queue = JobNames.MeetingLimits;
  /** A check that failed (database or provider down) is worth repeating for a while: the meeting keeps running. */
  readonly retryPolicy: RetryPolicy = {retryLimit: 8, retryDelaySeconds: 5, retryBackoff: true, expireInSeconds: 120};

  constructor(@service(MeetingLimitsService) private readonly limits: MeetingLimitsService) {}

  handle(job: MeetingLimitJob): Promise<void> {
    return this.limits.check(job);
  }
}
