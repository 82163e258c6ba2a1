import {BindingScope, injectable, service} from '@loopback/core';
import {repository} from '@loopback/repository';
import type {CallerProfile} from '../../auth/bearer-token.verifier';
import {DeliveryNotFoundError, ValidationError} from '../../errors/domain-errors';
import {DeliveryLogEntry, DeliveryOutcome, WebhookDeliveryRepository} from '../../repositories/webhook-delivery.repository';
import {isUuid} from './event-scope';
import {parseRecoverInput} from './subscription-input';
import {SubscriptionService} from './subscription.service';

export const DELIVERY_OUTCOMES: readonly DeliveryOutcome[] = ['pending', 'succeeded', 'failed'];

/** A subscription's delivery log and the sends a user asks for: a test ping, a redelivery, a recovery. */
@injectable({scope: BindingScope.SINGLETON})
export class DeliveryLogService {
  constructor(
    @repository(WebhookDeliveryRepository) private readonly deliveries: WebhookDeliveryRepository,
    @service(SubscriptionService) private readonly subscriptions: SubscriptionService,
  ) {}

  async list(id: string, outcome: string | undefined, page: {limit: number; offset: number}, caller: CallerProfile) {
    if (outcome !== undefined && !DELIVERY_OUTCOMES.includes(outcome as DeliveryOutcome)) {
      throw new ValidationError(`outcome must be one of ${DELIVERY_OUTCOMES.join(', ')}`);
    }
    await this.subscriptions.require(id, caller);
    return this.deliveries.list(id, outcome as DeliveryOutcome | undefined, page);
  }

  /** Queues a `ping` to the subscription now, whatever its event filter; answered before it is sent. */
  async test(id: string, caller: CallerProfile): Promise<DeliveryLogEntry> {
    const subscription = await this.subscriptions.require(id, caller);
    return this.deliveries.insertPing(id, {subscriptionId: subscription.id, message: 'A test delivery of the Video Conferencing Service'});
  }

  async redeliver(id: string, eventId: string, caller: CallerProfile): Promise<DeliveryLogEntry> {
    await this.subscriptions.require(id, caller);
    const entry = isUuid(eventId) ? await this.deliveries.redeliver(id, eventId) : null;
    if (!entry) throw new DeliveryNotFoundError(id, eventId);
    return entry;
  }

  /** Every delivery that finally failed since `since` is sent again; returns how many. */
  async recover(id: string, body: unknown, caller: CallerProfile): Promise<{count: number}> {
    const since = parseRecoverInput(body);
    await this.subscriptions.require(id, caller);
    return {count: await this.deliveries.recover(id, since)};
  }
}
