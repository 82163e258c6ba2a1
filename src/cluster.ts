import cluster from 'node:cluster';
import type {ServiceConfig} from './config/service-config';
import {prepareRuntime} from './local/runtime';
import type {Logger} from './logging/logger';

/**
 * `WORKERS=N`: the primary owns what local mode starts (embedded database,
 * emulator) and forks N HTTP workers sharing the port, so CPU-bound work such as
 * RSA signing of join tokens uses every core. Workers are ordinary replicas.
 */
export async function runCluster(config: ServiceConfig, logger: Logger): Promise<void> {
  if (config.port === 0) throw new Error('WORKERS > 1 needs a fixed PORT');
  const runtime = await prepareRuntime(config, logger);
  const env = {...process.env, ...toWorkerEnv(runtime.config)};
  let stopping = false;
  const fork = () => cluster.fork(env);
  for (let i = 0; i < config.workers; i++) fork();
  cluster.on('exit', (worker, code) => {
    if (stopping) return;
    logger.warn('worker exited, starting another', {workerPid: worker.process.pid, code});
    fork();
  });
  const host = config.host && config.host !== '0.0.0.0' ? config.host : '127.0.0.1';
  runtime.onListening(`http://${host}:${config.port}`);
  logger.info('cluster started', {workers: config.workers, port: config.port});

  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter(worker => worker !== undefined);
    const exits = workers.map(worker => new Promise(resolve => worker.once('exit', resolve)));
    // Workers finish in-flight requests, then exit; a stuck one is killed after the grace period.
    for (const worker of workers) worker.send('shutdown');
    const forced = setTimeout(() => workers.forEach(worker => worker.process.kill('SIGKILL')), 20000);
    await Promise.all(exits);
    clearTimeout(forced);
    await runtime.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

/** The resolved configuration as environment for a worker (which then runs in external mode). */
function toWorkerEnv(config: ServiceConfig): Record<string, string> {
  const env: Record<string, string> = {
    WORKERS: '1',
    DB_HOST: config.database.host,
    DB_PORT: String(config.database.port),
    DB_USER: config.database.user,
    DB_DATABASE: config.database.database,
    DB_SCHEMA: config.database.schema,
  };
  if (config.database.password) env.DB_PASSWORD = config.database.password;
  if (config.auth.secret) env.JWT_SECRET = config.auth.secret;
  if (config.storage.encryptionKey) env.STORAGE_ENCRYPTION_KEY = config.storage.encryptionKey.toString('hex');
  if (config.webhooks.signatureSecrets.length > 0) env.VONAGE_SIGNATURE_SECRET = config.webhooks.signatureSecrets.join(',');
  if (config.vonage) {
    env.VONAGE_APPLICATION_ID = config.vonage.applicationId;
    env.VONAGE_PRIVATE_KEY = config.vonage.privateKeyPem;
    env.VONAGE_VIDEO_HOST = config.vonage.videoHost;
    env.VONAGE_API_HOST = config.vonage.apiHost;
    if (config.vonage.apiKey && config.vonage.apiSecret) {
      env.VONAGE_API_KEY = config.vonage.apiKey;
      env.VONAGE_API_SECRET = config.vonage.apiSecret;
    }
  }
  return env;
}

export const isClusterWorker = () => cluster.isWorker;
