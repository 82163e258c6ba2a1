import {ConfigError, EnvReader} from './env-reader';

/** Limits of the listening socket, and what it serves besides the API. */
export interface HttpConfig {
  /** Time a client has to send the request headers (`HTTP_HEADERS_TIMEOUT_MS`): bounds slow-header clients. */
  headersTimeoutMs: number;
  /** Time a client has to send the whole request, body included (`HTTP_REQUEST_TIMEOUT_MS`). */
  requestTimeoutMs: number;
  /** Time an idle keep-alive connection stays open (`HTTP_KEEP_ALIVE_TIMEOUT_MS`); above a load balancer's idle timeout. */
  keepAliveTimeoutMs: number;
  /** Open connections one process accepts; further ones are closed at once (`HTTP_MAX_CONNECTIONS`). */
  maxConnections: number;
  /** Serve `/explorer` and `/openapi.json` (`EXPLORER_ENABLED`; default: everywhere but production). */
  explorerEnabled: boolean;
}

export function readHttpConfig(read: EnvReader, isProduction: boolean): HttpConfig {
  const headersTimeoutMs = read.integer('HTTP_HEADERS_TIMEOUT_MS', {min: 100, max: 120_000}) ?? 10_000;
  const requestTimeoutMs = read.integer('HTTP_REQUEST_TIMEOUT_MS', {min: 100, max: 600_000}) ?? 30_000;
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError('HTTP_HEADERS_TIMEOUT_MS', `must not exceed HTTP_REQUEST_TIMEOUT_MS (${requestTimeoutMs})`);
  }
  return {
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: read.integer('HTTP_KEEP_ALIVE_TIMEOUT_MS', {min: 100, max: 600_000}) ?? 5_000,
    maxConnections: read.integer('HTTP_MAX_CONNECTIONS', {min: 1, max: 1_000_000}) ?? 1_000,
    explorerEnabled: read.boolean('EXPLORER_ENABLED') ?? !isProduction,
  };
}
