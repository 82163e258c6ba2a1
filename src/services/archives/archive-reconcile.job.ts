import {injectable, service} from '@loopback/core';
import {ArchiveService} from './archive.service';
import {asJobHandler} from '../../jobs/as-job-handler';
import type {JobHandler, RetryPolicy} from '../../jobs/job-handler';
import {JobNames} from '../../jobs/job-queue';

/** Pulls recent meetings' archives from the provider, for callbacks that never arrived. */
@injectable(asJobHandler)
export class ArchiveReconcileHandler implements JobHandler {
  readonly queue = JobNames.ArchiveReconcile;
  // Vonage keeps archives 72 h; every ten minutes is well inside that.
  readonly schedule = '*/10 * * * *';
  /**
   * No retries: the next tick is ten minutes away and does the same work. Expiry at one tick,
   * because pg-boss fails an overlong run without stopping it and a retry would run beside it.
   */
  readonly retryPolicy: RetryPolicy = {retryLimit: 0, retryDelaySeconds: 0, retryBackoff: false, expireInSeconds: 600};

  constructor(@service(ArchiveService) private readonly archives: ArchiveService) {}

  handle(): Promise<void> {
    return this.archives.reconcileRecentMeetings();
  }
}
