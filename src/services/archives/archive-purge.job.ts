import {injectable, service} from '@loopback/core';
import {ArchivePurgeJob, ArchivePurgeService} from './archive-purge.service';
import {asJobHandler} from '../../jobs/as-job-handler';
import type {JobHandler, RetryPolicy} from '../../jobs/job-handler';
import {JobNames} from '../../jobs/job-queue';

/** Finishes deleting an archive (provider copy, uploaded object) after a DELETE answered 503. */
@injectable(asJobHandler)
export class ArchivePurgeHandler implements JobHandler<ArchivePurgeJob> {
  readonly queue = JobNames.ArchivePurge;
  /** A deletion the user asked for must not be dropped: the same long backoff as teardown, about 1.5–3 h. */
  readonly retryPolicy: RetryPolicy = {retryLimit: 10, retryDelaySeconds: 5, retryBackoff: true, expireInSeconds: 300};

  constructor(@service(ArchivePurgeService) private readonly archivePurge: ArchivePurgeService) {}

  handle(job: ArchivePurgeJob): Promise<void> {
    return this.archivePurge.purge(job);
  }
}
