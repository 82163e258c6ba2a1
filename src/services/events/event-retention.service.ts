import {BindingScope, inject, injectable} from '@loopback/core';
import {repository} from '@loopback/repository';
import type {ServiceConfig} from '../../config/service-config';
import {ConfigBindings, LoggingBindings, UtilBindings} from '../../keys';
import type {Logger} from '../../logging/logger';
import {EventLogRepository} from '../../repositories/event-log.repository';
import {WebhookSubscriptionRepository} from '../../repositories/webhook-subscription.repository';
import type {Clock} from '../../utils/clock';

/** Events past EVENT_RETENTION_DAYS go (with their deliveries); subscriptions past `purgeAt` go with their log. */
@injectable({scope: BindingScope.SINGLETON})
export class EventRetentionService {
  constructor(
    @repository(EventLogRepository) private readonly events: EventLogRepository,
    @repository(WebhookSubscriptionRepository) private readonly subscriptions: WebhookSubscriptionRepository,
    @inject(ConfigBindings.SERVICE_CONFIG) private readonly config: ServiceConfig,
    @inject(LoggingBindings.LOGGER) private readonly logger: Logger,
    @inject(UtilBindings.CLOCK) private readonly clock: Clock,
  ) {}

  async pruneOldEvents(): Promise<number> {
    const retentionDays = this.config.events.retentionDays;
    const removed = await this.events.pruneOlderThan(new Date(this.clock.now().getTime() - retentionDays * 86_400_000));
    if (removed > 0) this.logger.info('old events pruned', {removed, retentionDays});
    return removed;
  }

  async purgeSubscriptions(): Promise<number> {
    const removed = await this.subscriptions.purgeDue(this.clock.now());
    if (removed > 0) this.logger.info('expired webhook subscriptions purged', {removed});
    return removed;
  }
}
