import {BindingScope, inject, injectable} from '@loopback/core';
import {repository} from '@loopback/repository';
import type {ServiceConfig} from '../../config/service-config';
import {ConfigBindings, LoggingBindings, UtilBindings} from '../../keys';
import type {Logger} from '../../logging/logger';
import {WebhookEventRepository} from '../../repositories/webhook-event.repository';
import type {Clock} from '../../utils/clock';

/** Callback records make redeliveries idempotent; past the retention a redelivery is not expected. */
@injectable({scope: BindingScope.SINGLETON})
export class CallbackRetentionService {
  private readonly retentionDays: number;

  constructor(
    @repository(WebhookEventRepository) private readonly callbacks: WebhookEventRepository,
    @inject(LoggingBindings.LOGGER) private readonly logger: Logger,
    @inject(UtilBindings.CLOCK) private readonly clock: Clock,
    @inject(ConfigBindings.SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.retentionDays = config.callbackRetentionDays;
  }

  /** Scheduled job: forgets callbacks older than the retention. */
  async pruneOldCallbacks(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.retentionDays * 86_400_000);
    const removed = await this.callbacks.pruneOlderThan(cutoff);
    if (removed > 0) this.logger.info('old callback records pruned', {removed, retentionDays: this.retentionDays});
    return removed;
  }
}
