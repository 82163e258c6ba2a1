import {extensions, Getter, inject, lifeCycleObserver, LifeCycleObserver} from '@loopback/core';
import type {ServiceConfig} from '../config/service-config';
import {ConfigBindings, LoggingBindings, MetricsBindings} from '../keys';
import type {Logger} from '../logging/logger';
import {answerPrimary} from './cluster-metrics';
import type {LocalMetrics} from './exposition';
import {METRICS_COLLECTORS, MetricsCollector} from './metrics-collector';
import type {ServiceMetrics} from './service-metrics';

/**
 * First to start: every collector bound at the extension point registers its metrics before anything that counts
 * into them runs; in a cluster worker, the primary is told it may ask for this process's metrics.
 */
@lifeCycleObserver('metrics')
export class MetricsObserver implements LifeCycleObserver {
  private stopAnswering?: () => void;

  constructor(
    @inject(MetricsBindings.METRICS) private readonly metrics: ServiceMetrics,
    @inject(MetricsBindings.LOCAL) private readonly local: LocalMetrics,
    @extensions(METRICS_COLLECTORS) private readonly collectors: Getter<MetricsCollector[]>,
    @inject(ConfigBindings.SERVICE_CONFIG) private readonly config: ServiceConfig,
    @inject(LoggingBindings.LOGGER) private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    const collectors = await this.collectors();
    for (const collector of collectors) collector.register(this.metrics.registry);
    this.local.use(collectors);
    if (this.config.metrics.enabled && this.config.metrics.clusterWorker) this.stopAnswering ??= answerPrimary(this.local, this.logger);
  }

  stop(): void {
    this.stopAnswering?.();
    this.stopAnswering = undefined;
  }
}
