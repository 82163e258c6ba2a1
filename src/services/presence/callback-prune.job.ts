import {injectable, service} from '@loopback/core';
import {CallbackRetentionService} from './callback-retention.service';
import {asJobHandler} from '../../jobs/as-job-handler';
import type {JobHandler, RetryPolicy} from '../../jobs/job-handler';
import {JobNames} from '../../jobs/job-queue';

/** Drops callback records past their retention. */
@injectable(asJobHandler)
export class CallbackPruneHandler implements JobHandler {
  readonly queue = JobNames.CallbackPrune;
  readonly schedule = '17 3 * * *';
  /**
   * The next tick is a day away, so two retries ten minutes apart ride out a database restart;
   * a day missed only keeps records a day longer. Batches of a busy day may take a while: 30 min.
   */
  readonly retryPolicy: RetryPolicy = {retryLimit: 2, retryDelaySeconds: 600, retryBackoff: false, expireInSeconds: 1800};

  constructor(@service(CallbackRetentionService) private readonly retention: CallbackRetentionService) {}

  async handle(): Promise<void> {
    await this.retention.pruneOldCallbacks();
  }
}
