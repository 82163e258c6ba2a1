import {injectable} from '@loopback/core';
import {repository} from '@loopback/repository';
import {Gauge, Registry} from 'prom-client';
import {asMetricsCollector, MetricsCollector} from '../../metrics/metrics-collector';
import {WebhookDeliveryRepository} from '../../repositories/webhook-delivery.repository';

/**
 * How far behind subscription deliveries are, read at scrape time with one query. Every replica reads the same
 * tables, so cluster workers report the same numbers: aggregated by `max`, not summed.
 */
@injectable(asMetricsCollector)
export class DeliveryBacklogCollector implements MetricsCollector {
  private gauges?: {pending: Gauge; lag: Gauge; paused: Gauge};

  constructor(@repository(WebhookDeliveryRepository) private readonly deliveries: WebhookDeliveryRepository) {}

  register(registry: Registry): void {
    const gauge = (name: string, help: string) => new Gauge({name, help, registers: [registry], aggregator: 'max'});
    this.gauges = {
      pending: gauge('vcs_webhook_deliveries_pending', 'Subscription deliveries not yet delivered or given up (due now or waiting for a retry)'),
      lag: gauge('vcs_webhook_delivery_lag_seconds', 'Seconds since the oldest pending delivery was queued (0 when none)'),
      paused: gauge('vcs_webhook_subscriptions_paused', 'Webhook subscriptions paused (by their owner, a 410 Gone, or five days of failures)'),
    };
  }

  async collect(): Promise<void> {
    if (!this.gauges) return;
    const backlog = await this.deliveries.backlog();
    this.gauges.pending.set(backlog.pending);
    this.gauges.lag.set(backlog.oldestPendingSeconds);
    this.gauges.paused.set(backlog.pausedSubscriptions);
  }
}
