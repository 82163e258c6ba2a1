import {BindingScope, BindingTemplate, extensionFor} from '@loopback/core';
import type {Registry} from 'prom-client';

/** Extension point of every `MetricsCollector` (`asMetricsCollector` tags them). */
export const METRICS_COLLECTORS = 'metrics.collectors';

/**
 * Something that reports metrics of its own: a component binds one with `asMetricsCollector` and the service
 * exposes what it registers, in every process and aggregated across cluster workers, without a change here.
 * (The events issue's deliveries are meant to come in this way.)
 */
export interface MetricsCollector {
  /**
   * Creates the collector's metrics in the service's registry. Called once at start, whether metrics are
   * exposed or not, so code that counts never has to ask.
   */
  register(registry: Registry): void;
  /**
   * Brings scrape-time values (gauges read from the database or a pool) up to date. Called before every
   * scrape, never on a request path; keep it to one cheap query. A collector that throws or takes longer than
   * `COLLECT_TIMEOUT_MS` is logged and the scrape goes on with its previous values.
   */
  collect(): Promise<void> | void;
}

export const COLLECT_TIMEOUT_MS = 2000;

export const asMetricsCollector: BindingTemplate = binding => {
  extensionFor(METRICS_COLLECTORS)(binding);
  binding.inScope(BindingScope.SINGLETON);
};
