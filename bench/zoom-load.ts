import autocannon from 'autocannon';
import {createHmac, createSecretKey, KeyObject, randomUUID} from 'node:crypto';
import {LoadResult, summarise} from './load';

/** The meeting a Zoom callback run is about, and the join key each attendee `bench-user-{k}` was issued. */
export interface ZoomCallbackTarget {
  sessionId: string;
  sessionName: string;
  /** joinKeys[k]: the `user_key` of attendee k. */
  joinKeys: string[];
}

/**
 * Zoom's webhook signature (provider-facts §B1), written here from the spec and not taken from the service's
 * verifier: `x-zm-signature` = `v0=` + hex HMAC-SHA256(secret token, `v0:{x-zm-request-timestamp}:{raw body}`).
 */
export function zoomSignature(key: KeyObject, timestamp: string, body: string): string {
  return `v0=${createHmac('sha256', key).update(`v0:${timestamp}:${body}`, 'utf8').digest('hex')}`;
}

/**
 * Signed Zoom callbacks: request 2k is `session.user_joined` and 2k+1 `session.user_left` of participant k, whose
 * `user_key` is attendee k's join key. Every event is sent once, so the database must hold exactly as many events
 * as were accepted. `url` is the full callback URL (`/webhooks/zoom` on the service).
 */
export async function loadZoomCallbacks(
  url: string,
  target: ZoomCallbackTarget,
  secretToken: string,
  options: {connections: number; amount: number},
): Promise<LoadResult> {
  const key = createSecretKey(Buffer.from(secretToken, 'utf8'));
  const {origin, pathname} = new URL(url);
  let sequence = 0;
  const base = Date.now();
  // autocannon ends fixed-amount runs on a one-second tick: time the run to its last response instead.
  const startedAt = Date.now();
  let lastResponseAt = startedAt;
  const result = await autocannon({
    url: origin,
    connections: options.connections,
    amount: options.amount,
    requests: [
      {
        method: 'POST',
        path: pathname,
        setupRequest: request => {
          const n = sequence++;
          const k = n >> 1;
          const joined = n % 2 === 0;
          const at = base + k + (joined ? 0 : 60_000);
          const user = {
            id: String(16_000_000 + k),
            name: `Bench User ${k}`,
            ...(joined ? {join_time: new Date(at).toISOString()} : {leave_time: new Date(at).toISOString(), leave_reason: 'left the session'}),
            user_key: target.joinKeys[k % target.joinKeys.length],
            participant_uuid: `bench-participant-${k}`,
          };
          const body = JSON.stringify({
            event: joined ? 'session.user_joined' : 'session.user_left',
            event_ts: at,
            payload: {
              account_id: 'bench-account',
              object: {id: target.sessionId, session_id: target.sessionId, session_name: target.sessionName, user},
            },
          });
          const timestamp = String(Math.floor(Date.now() / 1000));
          return {
            ...request,
            body,
            headers: {
              'content-type': 'application/json',
              'user-agent': 'Zoom Marketplace/1.0a',
              'x-zm-request-timestamp': timestamp,
              'x-zm-signature': zoomSignature(key, timestamp, body),
              'x-zm-trackingid': randomUUID(),
            },
          };
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
