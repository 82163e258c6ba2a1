import {inject, lifeCycleObserver, LifeCycleObserver, service} from '@loopback/core';
import type {ServiceConfig} from '../../config/service-config';
import {ConfigBindings, LoggingBindings} from '../../keys';
import type {Logger} from '../../logging/logger';
import {describeError} from '../../logging/logger';
import {PresenceReconcileService} from './presence-reconcile.service';

/**
 * Keeps `PRESENCE_RECONCILE_SECONDS` where a pg-boss schedule cannot (cron ticks each minute): every
 * replica asks every interval for the meetings that are due. The due times live in PostgreSQL and each
 * meeting is claimed by one run, so replicas share the work and a stopped replica loses none of it.
 */
@lifeCycleObserver('jobs')
export class PresenceReconcileTicker implements LifeCycleObserver {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    @service(PresenceReconcileService) private readonly presence: PresenceReconcileService,
    @inject(ConfigBindings.SERVICE_CONFIG) private readonly config: ServiceConfig,
    @inject(LoggingBindings.LOGGER) private readonly logger: Logger,
  ) {}

  start(): void {
    const intervalMs = this.config.presenceReconcileSeconds * 1000;
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.timer.unref();
  }

  /** Lets a run in progress finish before the database pool closes. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private tick(): void {
    // A run still going (a slow provider) is not overlapped by this replica.
    this.running = this.running.then(async () => {
      if (!this.timer) return;
      try {
        await this.presence.reconcileDue();
      } catch (error) {
        this.logger.warn('presence reconciliation run failed', {error: describeError(error as Error)});
      }
    });
  }
}
