import {injectable, service} from '@loopback/core';
import {asJobHandler} from '../../jobs/as-job-handler';
import type {JobHandler, RetryPolicy} from '../../jobs/job-handler';
import {JobNames} from '../../jobs/job-queue';
import {PresenceReconcileService} from './presence-reconcile.service';

/**
 * The durable tick of presence reconciliation: pg-boss runs it once a minute on one replica. Intervals
 * under a minute are kept by every replica's PresenceReconcileTicker; both only claim meetings that are
 * due (in PostgreSQL), so neither repeats the other's work.
 */
@injectable(asJobHandler)
export class PresenceReconcileHandler implements JobHandler {
  readonly queue = JobNames.PresenceReconcile;
  readonly schedule = '* * * * *';
  /** No retries: the next tick is a minute away and claims what is still due. */
  readonly retryPolicy: RetryPolicy = {retryLimit: 0, retryDelaySeconds: 0, retryBackoff: false, expireInSeconds: 300};

  constructor(@service(PresenceReconcileService) private readonly presence: PresenceReconcileService) {}

  async handle(): Promise<void> {
    await this.presence.reconcileDue();
  }
}
