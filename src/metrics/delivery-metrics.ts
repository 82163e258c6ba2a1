import type {Registry} from 'prom-client';
import {FastCounter} from './fast-metrics';

/** How a subscription delivery attempt ended: delivered, failed with a retry ahead, failed for good, or 410 Gone. */
export type DeliveryOutcome = 'succeeded' | 'retry' | 'failed' | 'gone';
const OUTCOMES: readonly DeliveryOutcome[] = ['succeeded', 'retry', 'failed', 'gone'];

/** Attempts of webhook subscription deliveries (events issue), counted by the process that made them. */
export class DeliveryMetrics {
  private readonly attempts: FastCounter<'outcome'>;

  constructor(registry: Registry) {
    this.attempts = new FastCounter('vcs_webhook_delivery_attempts_total', 'Webhook subscription delivery attempts, by outcome', ['outcome'], registry);
    for (const outcome of OUTCOMES) this.attempts.child({outcome});
  }

  attempt(outcome: DeliveryOutcome): void {
    this.attempts.child({outcome}).value++;
  }
}
