import cluster from 'node:cluster';
import type {ServiceConfig} from './config/service-config';
import {prepareRuntime} from './local/runtime';
import type {Logger} from './logging/logger';
import {serveClusterMetrics} from './metrics/cluster-metrics';

/** Primary → worker: drain (`/ready` 503 for SHUTDOWN_DRAIN_SECONDS), then stop; or stop at once (Ctrl-C). */
export const SHUTDOWN = 'shutdown';
export const SHUTDOWN_NOW = 'shutdown-now';

/**
 * `WORKERS=N`: the primary owns what local mode starts (embedded database,
 * emulator) and forks N HTTP workers sharing the port, so CPU-bound work such as
 * RSA signing of join tokens uses every core. Workers are ordinary replicas.
 */
export async function runCluster(config: ServiceConfig, logger: Logger): Promise<void> {
  if (config.port === 0) throw new Error('WORKERS > 1 needs a fixed PORT');
  const runtime = await prepareRuntime(config, logger);
  serveConfigToWorkers(runtime.config);
  // The primary aggregates every worker's metrics, and owns METRICS_PORT when one is set.
  const metrics = config.metrics.enabled ? serveClusterMetrics(config.metrics, config.host, logger) : undefined;
  let stopping = false;
  const fork = () => cluster.fork();
  for (let i = 0; i < config.workers; i++) fork();
  cluster.on('exit', (worker, code) => {
    if (stopping) return;
    logger.warn('worker exited, starting another', {workerPid: worker.process.pid, code});
    fork();
  });
  const host = config.host && config.host !== '0.0.0.0' ? config.host : '127.0.0.1';
  runtime.onListening(`http://${host}:${config.port}`);
  logger.info('cluster started', {workers: config.workers, port: config.port});

  const shutdown = async (drain: boolean) => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter(worker => worker !== undefined);
    const exits = workers.map(worker => new Promise(resolve => worker.once('exit', resolve)));
    // Workers drain (SIGTERM), finish in-flight requests, then exit; a stuck one is killed after the grace period.
    for (const worker of workers) worker.send(drain ? SHUTDOWN : SHUTDOWN_NOW);
    const drainMs = drain ? config.shutdownDrainSeconds * 1000 : 0;
    const forced = setTimeout(() => workers.forEach(worker => worker.process.kill('SIGKILL')), drainMs + 20000);
    await Promise.all(exits);
    clearTimeout(forced);
    await metrics?.stop();
    await runtime.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown(true));
  process.once('SIGINT', () => void shutdown(false));
}

/** The resolved configuration as it crosses the IPC channel (JSON: the one Buffer as hex). */
type WireConfig = Omit<ServiceConfig, 'storage'> & {storage: Omit<ServiceConfig['storage'], 'encryptionKey'> & {encryptionKeyHex?: string}};

const CONFIG_REQUEST = 'vcs:config-request';
const CONFIG_REPLY = 'vcs:config';

/**
 * What a worker runs with: the primary's resolved configuration (local mode's database, emulator
 * and generated secrets included), as an ordinary replica of an external database.
 */
function toWire(config: ServiceConfig): WireConfig {
  const {encryptionKey, ...storage} = config.storage;
  return {
    ...config,
    workers: 1,
    database: {...config.database, mode: 'external'},
    metrics: {...config.metrics, clusterWorker: true},
    storage: {...storage, encryptionKeyHex: encryptionKey?.toString('hex')},
  };
}

function fromWire(wire: WireConfig): ServiceConfig {
  const {encryptionKeyHex, ...storage} = wire.storage;
  return {...wire, storage: {...storage, encryptionKey: encryptionKeyHex ? Buffer.from(encryptionKeyHex, 'hex') : undefined}};
}

/** Answers each worker's request for the configuration (a worker asks once its listener is in place). */
function serveConfigToWorkers(config: ServiceConfig): void {
  const wire = toWire(config);
  cluster.on('message', (worker, message: unknown) => {
    if ((message as {type?: unknown} | null)?.type === CONFIG_REQUEST) worker.send({type: CONFIG_REPLY, config: wire});
  });
}

/** In a worker: the configuration its primary resolved. */
export function configFromPrimary(): Promise<ServiceConfig> {
  return new Promise(resolve => {
    const onMessage = (message: unknown) => {
      const reply = message as {type?: unknown; config?: WireConfig} | null;
      if (reply?.type !== CONFIG_REPLY || !reply.config) return;
      process.off('message', onMessage);
      resolve(fromWire(reply.config));
    };
    process.on('message', onMessage);
    process.send!({type: CONFIG_REQUEST});
  });
}

export const isClusterWorker = () => cluster.isWorker;
