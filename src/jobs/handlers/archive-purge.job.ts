import {inject, injectable} from '@loopback/core';
import {ServiceBindings} from '../../keys';
import type {ArchivePurgeJob, ArchivePurgeService} from '../../services/archives/archive-purge.service';
import {asJobHandler, JobHandler, RetryPolicy} from '../job-handler';
import {JobNames} from '../job-queue';

/** Finishes deleting an archive (provider copy, uploaded object) after a DELETE answered 503. */
@injectable(asJobHandler)
export class ArchivePurgeHandler implements JobHandler<ArchivePurgeJob> {
  readonly queue = JobNames.ArchivePurge;
  /** A deletion the user asked for must not be dropped: the same long backoff as teardown, about 1.5–3 h. */
  readonly retryPolicy: RetryPolicy = {retryLimit: 10, retryDelaySeconds: 5, retryBackoff: true, expireInSeconds: 300};

  constructor(@inject(ServiceBindings.ARCHIVE_PURGE) private readonly archivePurge: ArchivePurgeService) {}

  handle(job: ArchivePurgeJob): Promise<void> {
    return this.archivePurge.purge(job);
  }
}
