import {injectable, service} from '@loopback/core';
import {asJobHandler} from '../../jobs/as-job-handler';
import type {JobHandler, RetryPolicy} from '../../jobs/job-handler';
import {JobNames} from '../../jobs/job-queue';
import {EventRetentionService} from './event-retention.service';

/** Drops events past EVENT_RETENTION_DAYS, daily. */
@injectable(asJobHandler)
export class EventPruneHandler implements JobHandler {
  readonly queue = JobNames.EventPrune;
  readonly schedule = '37 3 * * *';
  /** As the callback prune: a day missed only keeps events a day longer. */
  readonly retryPolicy: RetryPolicy = {retryLimit: 2, retryDelaySeconds: 600, retryBackoff: false, expireInSeconds: 1800};

  constructor(@service(EventRetentionService) private readonly retention: EventRetentionService) {}

  async handle(): Promise<void> {
    await this.retention.pruneOldEvents();
  }
}
