import {inject, injectable} from '@loopback/core';
import {ServiceBindings} from '../../keys';
import type {ArchiveService} from '../../services/archives/archive.service';
import {asJobHandler, JobHandler, RetryPolicy} from '../job-handler';
import {JobNames} from '../job-queue';

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

  constructor(@inject(ServiceBindings.ARCHIVE) private readonly archives: ArchiveService) {}

  handle(): Promise<void> {
    return this.archives.reconcileRecentMeetings();
  }
}
