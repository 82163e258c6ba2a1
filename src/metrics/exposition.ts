import {Registry} from 'prom-client';
import type {IncomingMessage, RequestListener, ServerResponse} from 'node:http';
import {describeError, Logger} from '../logging/logger';
import type {MetricSnapshot} from './fast-metrics';
import {COLLECT_TIMEOUT_MS, MetricsCollector} from './metrics-collector';
import type {ServiceMetrics} from './service-metrics';

/** Where a scrape's text comes from: this process, or (in a cluster worker) the primary, for every worker. */
export interface MetricsExposition {
  text(): Promise<string>;
}

export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

/** This process's metrics: collectors brought up to date, then every registry read. */
export class LocalMetrics implements MetricsExposition {
  private collectors: readonly MetricsCollector[] = [];

  constructor(
    private readonly metrics: ServiceMetrics,
    private readonly logger: Logger,
  ) {}

  /** The collectors found at start (they have registered their metrics by then). */
  use(collectors: readonly MetricsCollector[]): void {
    this.collectors = collectors;
  }

  async text(): Promise<string> {
    await this.refresh();
    const texts = await Promise.all(this.metrics.registries().map(registry => registry.metrics()));
    return texts.join('\n');
  }

  /** The same as JSON, as prom-client's aggregation across cluster workers reads it. */
  async json(): Promise<MetricSnapshot[]> {
    await this.refresh();
    const families = await Promise.all(this.metrics.registries().map(registry => registry.getMetricsAsJSON()));
    return families.flat() as unknown as MetricSnapshot[];
  }

  private async refresh(): Promise<void> {
    await Promise.all(this.collectors.map(collector => this.collectOne(collector)));
  }

  private async collectOne(collector: MetricsCollector): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${COLLECT_TIMEOUT_MS} ms`)), COLLECT_TIMEOUT_MS);
    });
    try {
      await Promise.race([collector.collect(), timeout]);
    } catch (error) {
      // One slow or failing source must not blank the whole scrape: its gauges keep their last values.
      this.logger.warn('metrics collector failed', {collector: collector.constructor.name, error: describeError(error as Error)});
    } finally {
      clearTimeout(timer);
    }
  }
}

/** `/metrics`, with or without a query string. */
export function isMetricsPath(url: string | undefined): boolean {
  return url !== undefined && url.startsWith('/metrics') && (url.length === 8 || url[8] === '?');
}

/** Answers a scrape: 200 with the text format, 405 for other methods, 503 when the metrics cannot be read. */
export function serveMetrics(exposition: MetricsExposition, request: IncomingMessage, response: ServerResponse, logger: Logger): void {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, {allow: 'GET, HEAD'}).end();
    return;
  }
  exposition.text().then(
    text => {
      response.writeHead(200, {'content-type': METRICS_CONTENT_TYPE, 'cache-control': 'no-store'});
      response.end(request.method === 'HEAD' ? undefined : text);
    },
    error => {
      logger.error('metrics could not be read', {error: describeError(error as Error)});
      response.writeHead(503, {'content-type': 'text/plain; charset=utf-8'}).end('metrics unavailable\n');
    },
  );
}

/** A listener of its own (`METRICS_PORT`): `/metrics` and nothing else. */
export function metricsListener(exposition: MetricsExposition, logger: Logger): RequestListener {
  return (request, response) => {
    if (isMetricsPath(request.url)) serveMetrics(exposition, request, response, logger);
    else response.writeHead(404, {'content-type': 'text/plain; charset=utf-8'}).end('not found\n');
  };
}
