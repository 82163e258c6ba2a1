import {injectable, service} from '@loopback/core';
import {MeetingEndService, TeardownJob} from './meeting-end.service';
import {asJobHandler} from '../../jobs/as-job-handler';
import type {JobHandler, RetryPolicy} from '../../jobs/job-handler';
import {JobNames} from '../../jobs/job-queue';

/** Finishes ending a meeting at the provider when the inline attempt failed part-way. */
@injectable(asJobHandler)
export class MeetingTeardownHandler implements JobHandler<TeardownJob> {
  readonly queue = JobNames.MeetingTeardown;
  /**
   * Clients left connected to an ended meeting are worth a long effort: ten retries from 5 s with
   * backoff span about 1.5 h (up to twice that with pg-boss's jitter), outlasting a provider outage.
   */
  readonly retryPolicy: RetryPolicy = {retryLimit: 10, retryDelaySeconds: 5, retryBackoff: true, expireInSeconds: 300};

  constructor(@service(MeetingEndService) private readonly meetingEnd: MeetingEndService) {}

  handle(job: TeardownJob): Promise<void> {
    return this.meetingEnd.teardown(job);
  }
}
