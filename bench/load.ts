import autocannon from 'autocannon';
import {createHash, createSecretKey, KeyObject} from 'node:crypto';
import jwt from 'jsonwebtoken';
import {encodeConnectionData} from '../src/providers/video/vonage/connection-data';

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  errors: number;
  non2xx: number;
  /** CPU (user + system, all threads) the measured process(es) spent per completed request, in ms. */
  cpuMsPerRequest?: number;
  /** TCP connections the Vonage emulator accepted during the run (create runs). */
  providerConnections?: number;
}

export interface LoadOptions {
  connections: number;
  durationSeconds?: number;
  amount?: number;
}

export function summarise(result: autocannon.Result): LoadResult {
  const total = result['2xx'] + result.non2xx;
  return {
    // Completed requests over the measured time: autocannon's per-second average rounds fixed-amount runs to whole seconds.
    requestsPerSecond: Math.round(result.duration > 0 ? total / result.duration : result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/** A fixed request against a URL. */
export async function loadFixed(url: string, options: LoadOptions & {method: string; headers?: Record<string, string>; body?: string}): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.durationSeconds,
    amount: options.amount,
    method: options.method,
    headers: options.headers,
    body: options.body,
  });
  return summarise(result);
}

/**
 * Signed Vonage callbacks: request 2k is `connectionCreated` and 2k+1
 * `connectionDestroyed` of connection k, each for its own attendee. Every event is
 * sent once, so the database must hold exactly as many events as were accepted.
 */
export async function loadCallbacks(
  url: string,
  sessionId: string,
  signer: {secret: string; applicationId: string},
  options: LoadOptions & {amount: number},
): Promise<LoadResult> {
  const {secret, applicationId} = signer;
  const key: KeyObject = createSecretKey(Buffer.from(secret, 'utf8'));
  let sequence = 0;
  const base = Date.now();
  // autocannon ends fixed-amount runs on a one-second tick: time the run to its last response instead.
  const startedAt = Date.now();
  let lastResponseAt = startedAt;
  const result = await autocannon({
    url,
    connections: options.connections,
    amount: options.amount,
    requests: [
      {
        method: 'POST',
        path: '/webhooks/session',
        setupRequest: request => {
          const n = sequence++;
          const k = n >> 1;
          const created = n % 2 === 0;
          const connection = {id: `bench-conn-${k}`, createdAt: base + k, data: encodeConnectionData({attendee: `bench-user-${k}`})};
          const body = JSON.stringify({
            sessionId,
            projectId: 'bench',
            event: created ? 'connectionCreated' : 'connectionDestroyed',
            timestamp: base + k + (created ? 0 : 60_000),
            connection,
            ...(created ? {} : {reason: 'clientDisconnected'}),
          });
          const signature = jwt.sign(
            {
              iat: Math.floor(Date.now() / 1000),
              jti: `${k}-${n}`,
              iss: 'Vonage',
              payload_hash: createHash('sha256').update(body).digest('hex'),
              application_id: applicationId,
            },
            key,
            {algorithm: 'HS256'},
          );
          return {...request, body, headers: {'content-type': 'application/json', authorization: signature}};
        },
        onResponse: () => {
          lastResponseAt = Date.now();
        },
      },
    ],
  });
  const summary = summarise(result);
  const elapsedSeconds = (lastResponseAt - startedAt) / 1000;
  return elapsedSeconds > 0 ? {...summary, requestsPerSecond: Math.round(summary.total / elapsedSeconds)} : summary;
}
