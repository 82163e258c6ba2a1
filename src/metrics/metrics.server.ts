import {inject, lifeCycleObserver, LifeCycleObserver} from '@loopback/core';
import {HttpServer} from '@loopback/http-server';
import type {ServiceConfig} from '../config/service-config';
import {ConfigBindings, LoggingBindings, MetricsBindings} from '../keys';
import type {Logger} from '../logging/logger';
import {metricsListener, MetricsExposition} from './exposition';

/** `METRICS_PORT`: `/metrics` on a port of its own, so it need not be exposed with the API. */
@lifeCycleObserver('http')
export class MetricsServer implements LifeCycleObserver {
  private server?: HttpServer;

  constructor(
    @inject(ConfigBindings.SERVICE_CONFIG) private readonly config: ServiceConfig,
    @inject(MetricsBindings.EXPOSITION) private readonly exposition: MetricsExposition,
    @inject(LoggingBindings.LOGGER) private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.server = new HttpServer(metricsListener(this.exposition, this.logger), {port: this.config.metrics.port, host: this.config.host});
    await this.server.start();
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = undefined;
  }

  /** The port it listens on (the configured one, or the one given for port 0). */
  get port(): number | undefined {
    return this.server?.listening ? this.server.port : undefined;
  }
}
