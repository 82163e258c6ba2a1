import {inject, injectable} from '@loopback/core';
import {ServiceBindings} from '../../keys';
import type {CallbackRetentionService} from '../../services/presence/callback-retention.service';
import {asJobHandler, JobHandler, RetryPolicy} from '../job-handler';
import {JobNames} from '../job-queue';

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

  constructor(@inject(ServiceBindings.CALLBACK_RETENTION) private readonly retention: CallbackRetentionService) {}

  async handle(): Promise<void> {
    await this.retention.pruneOldCallbacks();
  }
}
