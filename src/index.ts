import './runtime-tuning';
import {VideoConferencingApplication} from './application';
import {loadDotEnv} from './config/load-dotenv';
import {ConfigError, loadServiceConfig, ServiceConfig} from './config/service-config';
import {prepareRuntime} from './local/runtime';
import {createLogger, describeError} from './logging/logger';
import {configFromPrimary, isClusterWorker, runCluster, SHUTDOWN, SHUTDOWN_NOW} from './cluster';
import {HealthBindings} from './keys';

export {VideoConferencingApplication} from './application';

/** Starts one service process; resolves once it listens. */
export async function main(config: ServiceConfig): Promise<VideoConferencingApplication> {
  const logger = createLogger(config.logLevel);
  const runtime = await prepareRuntime(config, logger);
  // Signals are handled below, not by LoopBack's own listener: it re-raises the signal once the app
  // has stopped, killing the process before local mode's database and emulator are stopped.
  const app = new VideoConferencingApplication({serviceConfig: runtime.config, overrides: {logger}, shutdown: {signals: []}});
  try {
    await app.boot();
    await app.startOrUndo();
  } catch (error) {
    await runtime.stop();
    throw error;
  }
  const url = app.url ?? `http://127.0.0.1:${runtime.config.port}`;
  // Callbacks from the local emulator go over IPv4 loopback whatever interface we bound.
  const port = app.port ?? runtime.config.port;
  runtime.onListening(`http://127.0.0.1:${port}`);
  logger.info('service listening', {url, ...(runtime.config.http.explorerEnabled ? {explorer: `${url}/explorer`} : {})});

  let stopping = false;
  /** `drain`: on SIGTERM (an orchestrator's stop), `/ready` answers 503 for a while before the listener closes. */
  const shutdown = async (signal: string, drain = false) => {
    if (stopping) return;
    stopping = true;
    const drainSeconds = drain ? runtime.config.shutdownDrainSeconds : 0;
    logger.info('shutting down', {signal, ...(drainSeconds > 0 ? {drainSeconds} : {})});
    try {
      if (drainSeconds > 0) {
        // Load balancers see 503 on /ready and stop sending; requests already on their way are still served.
        app.getSync(HealthBindings.READINESS).startDraining();
        await new Promise(resolve => setTimeout(resolve, drainSeconds * 1000));
      }
      await app.stop();
      await runtime.stop();
    } catch (error) {
      logger.error('error during shutdown', {error: describeError(error as Error)});
    }
    process.exit(0);
  };
  if (isClusterWorker()) {
    // A worker stops when its primary says so (or is gone); a signal sent to the whole
    // process group (Ctrl-C, `timeout`) must not let workers race the primary's shutdown.
    process.on('SIGTERM', () => {});
    process.on('SIGINT', () => {});
    process.on('message', message => {
      if (message === SHUTDOWN) void shutdown('primary', true);
      if (message === SHUTDOWN_NOW) void shutdown('primary');
    });
    process.once('disconnect', () => void shutdown('primary gone'));
  } else {
    process.once('SIGTERM', () => void shutdown('SIGTERM', true));
    process.once('SIGINT', () => void shutdown('SIGINT'));
  }
  return app;
}

if (require.main === module) {
  loadDotEnv();
  const start = async () => {
    // A worker runs with what its primary resolved, not with the environment again.
    if (isClusterWorker()) return void (await main(await configFromPrimary()));
    const config = loadServiceConfig(process.env);
    if (config.workers > 1) return runCluster(config, createLogger(config.logLevel));
    await main(config);
  };
  start().catch(error => {
    const message = error instanceof ConfigError ? error.message : `Cannot start: ${(error as Error).message}`;
    process.stderr.write(message + '\n');
    process.exit(1);
  });
}
