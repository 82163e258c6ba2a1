import {injectable, service} from '@loopback/core';
import {asJobHandler} from '../../jobs/as-job-handler';
import type {JobHandler, RetryPolicy} from '../../jobs/job-handler';
import {JobNames} from '../../jobs/job-queue';
import {EventRetentionService} from './event-retention.service';

/** Deletes subscriptions past `purgeAt` with their delivery log, hourly. */
@injectable(asJobHandler)
export class SubscriptionPurgeHandler implements JobHandler {
  readonly queue = JobNames.SubscriptionPurge;
  readonly schedule = '23 * * * *';
  /** The next tick is an hour away; one retry rides out a short database outage. */
  readonly retryPolicy: RetryPolicy = {retryLimit: 1, retryDelaySeconds: 300, retryBackoff: false, expireInSeconds: 600};

  constructor(@service(EventRetentionService) private readonly retention: EventRetentionService) {}

  async handle(): Promise<void> {
    await this.retention.purgeSubscriptions();
  }
}
