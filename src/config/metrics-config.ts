import {ConfigError, EnvReader} from './env-reader';

/** What the service measures and where it exposes it (Prometheus text format). */
export interface MetricsConfig {
  /** Measure and serve `GET /metrics` (`METRICS_ENABLED`; default: everywhere but production, or when `METRICS_PORT` is set). */
  enabled: boolean;
  /** Serve `/metrics` on this port only, not on the API port (`METRICS_PORT`). */
  port?: number;
  /**
   * Never read from the environment: set by the cluster primary for its workers. A worker then measures, its
   * `/metrics` (on the API port) asks the primary for every worker's metrics, and the primary owns `METRICS_PORT`.
   */
  clusterWorker?: boolean;
}

export function readMetricsConfig(read: EnvReader, isProduction: boolean, apiPort: number): MetricsConfig {
  const port = read.port('METRICS_PORT');
  const explicit = read.boolean('METRICS_ENABLED');
  if (port !== undefined && explicit === false) {
    throw new ConfigError('METRICS_PORT', 'is set but METRICS_ENABLED=false: unset one of them');
  }
  if (port !== undefined && port !== 0 && port === apiPort) {
    throw new ConfigError('METRICS_PORT', `must differ from PORT (${apiPort}): it keeps /metrics off the API port`);
  }
  // A metrics port is a request to be scraped, so it turns metrics on in production too.
  const enabled = explicit ?? (port !== undefined || !isProduction);
  return port === undefined ? {enabled} : {enabled, port};
}
