import cluster, {Worker} from 'node:cluster';
import http from 'node:http';
import {AggregatorRegistry} from 'prom-client';
import type {MetricsConfig} from '../config/metrics-config';
import {describeError, Logger} from '../logging/logger';
import type {MetricSnapshot} from './fast-metrics';
import {LocalMetrics, metricsListener, MetricsExposition} from './exposition';

/**
 * Cluster mode: the primary holds no application, so it asks every worker for its metrics as JSON and adds them
 * up with prom-client's `AggregatorRegistry.aggregate` (counters and histograms summed, each gauge by its own
 * aggregator). Our own messages rather than prom-client's `clusterMetrics()`: a worker still starting, or one
 * that died, would make every scrape wait 5 s and fail; here the primary asks only workers that said they are
 * ready and leaves out one that does not answer in time. Each scrape also runs the workers' collectors.
 */
const READY = 'vcs:metrics-ready';
const COLLECT = 'vcs:metrics-collect';
const COLLECTED = 'vcs:metrics-collected';
const REQUEST = 'vcs:metrics-request';
const TEXT = 'vcs:metrics-text';
const WORKER_ANSWER_MS = 3000;

interface Message {
  type?: unknown;
  id?: number;
  metrics?: MetricSnapshot[];
  text?: string;
  error?: string;
}

/** In the primary: aggregates on request from a worker (`/metrics` on the API port) and on `METRICS_PORT`. */
export function serveClusterMetrics(config: MetricsConfig, host: string | undefined, logger: Logger): {stop(): Promise<void>} {
  const ready = new Set<Worker>();
  const pending = new Map<number, {answers: MetricSnapshot[][]; waiting: Set<Worker>; done: () => void}>();
  let nextId = 0;

  const aggregate = async (): Promise<string> => {
    const id = nextId++;
    const workers = [...ready].filter(worker => worker.isConnected());
    const answers: MetricSnapshot[][] = [];
    await new Promise<void>(resolve => {
      const timer = setTimeout(() => {
        logger.warn('cluster workers left out of a scrape: no answer in time', {workers: [...(pending.get(id)?.waiting ?? [])].map(w => w.process.pid)});
        resolve();
      }, WORKER_ANSWER_MS);
      const done = () => (clearTimeout(timer), resolve());
      pending.set(id, {answers, waiting: new Set(workers), done});
      if (workers.length === 0) done();
      for (const worker of workers) worker.send({type: COLLECT, id});
    });
    pending.delete(id);
    return AggregatorRegistry.aggregate(answers as never).metrics();
  };

  const onMessage = (worker: Worker, raw: unknown) => {
    const message = raw as Message | null;
    if (message?.type === READY) ready.add(worker);
    else if (message?.type === COLLECTED && message.id !== undefined) {
      const request = pending.get(message.id);
      if (!request || !request.waiting.delete(worker)) return;
      if (message.metrics) request.answers.push(message.metrics);
      if (request.waiting.size === 0) request.done();
    } else if (message?.type === REQUEST && message.id !== undefined) {
      const id = message.id;
      aggregate().then(
        text => worker.isConnected() && worker.send({type: TEXT, id, text}),
        error => worker.isConnected() && worker.send({type: TEXT, id, error: (error as Error).message}),
      );
    }
  };
  const onExit = (worker: Worker) => {
    ready.delete(worker);
    for (const request of pending.values()) if (request.waiting.delete(worker) && request.waiting.size === 0) request.done();
  };
  cluster.on('message', onMessage);
  cluster.on('exit', onExit);

  const server = config.port === undefined ? undefined : http.createServer(metricsListener({text: aggregate}, logger));
  server?.listen(config.port, host);
  server?.on('error', error => logger.error('metrics port failed', {error: describeError(error)}));
  return {
    stop: async () => {
      cluster.off('message', onMessage);
      cluster.off('exit', onExit);
      await new Promise<void>(resolve => (server ? server.close(() => resolve()) : resolve()));
    },
  };
}

/** In a worker: answers the primary's collection requests with this process's metrics. Returns the way to stop. */
export function answerPrimary(local: LocalMetrics, logger: Logger): () => void {
  const onMessage = (raw: unknown) => {
    const message = raw as Message | null;
    if (message?.type !== COLLECT || message.id === undefined) return;
    const id = message.id;
    local.json().then(
      metrics => process.send?.({type: COLLECTED, id, metrics}),
      error => {
        logger.warn('metrics for the primary could not be read', {error: describeError(error as Error)});
        process.send?.({type: COLLECTED, id, metrics: []});
      },
    );
  };
  process.on('message', onMessage);
  process.send?.({type: READY});
  return () => process.off('message', onMessage);
}

/** In a worker, `/metrics` on the API port: the primary's aggregate of every worker. */
export class PrimaryMetrics implements MetricsExposition {
  private nextId = 0;

  text(): Promise<string> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error('the cluster primary did not answer')), WORKER_ANSWER_MS + 2000);
      const onMessage = (raw: unknown) => {
        const message = raw as Message | null;
        if (message?.type !== TEXT || message.id !== id) return;
        finish(message.error === undefined ? undefined : new Error(message.error), message.text);
      };
      const finish = (error?: Error, text?: string) => {
        clearTimeout(timer);
        process.off('message', onMessage);
        if (error) reject(error);
        else resolve(text ?? '');
      };
      process.on('message', onMessage);
      process.send?.({type: REQUEST, id});
    });
  }
}
