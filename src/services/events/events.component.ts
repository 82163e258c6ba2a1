import {Binding, BindingScope, Component, createBindingFromClass} from '@loopback/core';
import {DeliveryBacklogCollector} from './delivery-backlog.collector';
import {WebhookDeliveryWorker} from './delivery-worker';

/**
 * The webhook delivery worker of every replica. Its queue is the delivery table itself, not pg-boss:
 * per-meeting order and a per-subscription bound need to see the other deliveries (docs/decisions.md).
 */
export class EventsComponent implements Component {
  lifeCycleObservers = [WebhookDeliveryWorker];
  bindings: Binding[] = [createBindingFromClass(DeliveryBacklogCollector, {defaultScope: BindingScope.SINGLETON})];
}
