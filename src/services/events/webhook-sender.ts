import http from 'node:http';
import https from 'node:https';
import type {GuardedAgents, OutboundGuard} from '../../outbound/outbound-guard';
import {findOutboundRefusal} from '../../outbound/outbound-refused.error';

/** What the receiver answered, or why it could not. */
export interface SendResult {
  statusCode: number | null;
  durationMs: number;
  /** Null on a 2xx. */
  error: string | null;
  retryAfter?: string;
}

/**
 * POSTs one delivery. Connections go through the outbound guard's agents, so the address each
 * connection uses (DNS resolved at delivery time) is checked; redirects are never followed.
 */
export class WebhookSender {
  private readonly agents: GuardedAgents;

  constructor(
    guard: OutboundGuard,
    private readonly timeoutMs: number,
  ) {
    this.agents = guard.agents();
  }

  send(url: string, body: string, headers: Record<string, string>): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    return new Promise<SendResult>(resolve => {
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        resolve({statusCode: null, durationMs: 0, error: `invalid URL ${url}`});
        return;
      }
      const isHttps = target.protocol === 'https:';
      const request = (isHttps ? https : http).request(target, {
        method: 'POST',
        agent: isHttps ? this.agents.httpsAgent : this.agents.httpAgent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'video-conferencing-service-webhooks',
          ...headers,
        },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      request.on('response', response => {
        // Only the status matters; the body is read and dropped so the socket can be reused.
        response.resume();
        const status = response.statusCode ?? 0;
        const retryAfter = response.headers['retry-after'];
        resolve({statusCode: status, durationMs: elapsed(), error: statusError(status, response.headers.location), retryAfter});
      });
      request.on('error', error => resolve({statusCode: null, durationMs: elapsed(), error: transportError(error, this.timeoutMs)}));
      request.end(body);
    });
  }

  close(): void {
    this.agents.httpAgent.destroy();
    this.agents.httpsAgent.destroy();
  }
}

function statusError(status: number, location: string | undefined): string | null {
  if (status >= 200 && status < 300) return null;
  if (status >= 300 && status < 400) return `HTTP ${status}: redirects are not followed${location ? ` (to ${location.slice(0, 200)})` : ''}`;
  return `HTTP ${status}`;
}

function transportError(error: Error, timeoutMs: number): string {
  const refusal = findOutboundRefusal(error);
  if (refusal) return refusal.message;
  if (error.name === 'AbortError' || error.name === 'TimeoutError') return `no response within ${timeoutMs} ms`;
  return error.message.slice(0, 500);
}
