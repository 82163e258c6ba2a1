import {collectDefaultMetrics, Registry} from 'prom-client';
import {CallbackMetrics} from './callback-metrics';
import {DeliveryMetrics} from './delivery-metrics';
import {HttpMetrics} from './http-metrics';
import {JobMetrics} from './job-metrics';
import {ProviderMetrics} from './provider-metrics';

let processRegistry: Registry | undefined;

/**
 * The Node process's own metrics (CPU, memory, heap, event-loop lag, GC), under prom-client's standard names so
 * the usual Node.js dashboards work. Once per process: they watch the process, not an application, and each
 * collection starts observers of its own (tests run many applications in one process).
 */
export function processMetricsRegistry(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({register: processRegistry});
  }
  return processRegistry;
}

/**
 * The service's metrics, in a registry of the application's own. The families exist whether metrics are exposed
 * or not (counting costs next to nothing); what costs on every request, the HTTP measurement and the provider
 * proxies, is installed only when `enabled`.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly http: HttpMetrics;
  readonly providers: ProviderMetrics;
  readonly callbacks: CallbackMetrics;
  readonly jobs: JobMetrics;
  readonly deliveries: DeliveryMetrics;

  constructor(readonly enabled: boolean) {
    this.http = new HttpMetrics(this.registry);
    this.providers = new ProviderMetrics(this.registry);
    this.callbacks = new CallbackMetrics(this.registry);
    this.jobs = new JobMetrics(this.registry);
    this.deliveries = new DeliveryMetrics(this.registry);
    // From the start, not the first scrape: event-loop lag and GC are observed continuously.
    if (enabled) processMetricsRegistry();
  }

  /** What a scrape of this process reads: the process's metrics, then the service's. */
  registries(): Registry[] {
    return [processMetricsRegistry(), this.registry];
  }
}
