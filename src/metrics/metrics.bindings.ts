import {Application, BindingScope, createBindingFromClass} from '@loopback/core';
import type {ServiceConfig} from '../config/service-config';
import {MetricsBindings} from '../keys';
import type {Logger} from '../logging/logger';
import {PrimaryMetrics} from './cluster-metrics';
import {DbPoolCollector} from './db-pool.collector';
import {LocalMetrics} from './exposition';
import {JobQueueCollector} from './job-queue.collector';
import {MetricsObserver} from './metrics.observer';
import {MetricsServer} from './metrics.server';
import {ServiceMetrics} from './service-metrics';

/** The metrics, their collectors, and where a scrape is answered; decided once from the validated config. */
export function bindMetrics(app: Application, config: ServiceConfig, logger: Logger): ServiceMetrics {
  const {enabled, port, clusterWorker} = config.metrics;
  const metrics = new ServiceMetrics(enabled);
  const local = new LocalMetrics(metrics, logger);
  app.bind(MetricsBindings.METRICS).to(metrics);
  app.bind(MetricsBindings.LOCAL).to(local);
  app.bind(MetricsBindings.EXPOSITION).to(clusterWorker ? new PrimaryMetrics() : local);
  app.add(createBindingFromClass(DbPoolCollector, {defaultScope: BindingScope.SINGLETON}));
  app.add(createBindingFromClass(JobQueueCollector, {defaultScope: BindingScope.SINGLETON}));
  app.lifeCycleObserver(MetricsObserver);
  // A cluster's metrics port belongs to its primary, which aggregates every worker.
  if (enabled && port !== undefined && !clusterWorker)
    app.add(createBindingFromClass(MetricsServer, {key: MetricsBindings.SERVER, defaultScope: BindingScope.SINGLETON}));
  return metrics;
}
