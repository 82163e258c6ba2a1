import {createHmac, createSecretKey, KeyObject, randomBytes, randomUUID} from 'node:crypto';

export const WEBHOOK_ATTEMPTS = 3;
const ATTEMPT_TIMEOUT_MS = 3000;
const BACKOFF_STEP_MS = 100;

export interface SentWebhook {
  event: string;
  body: string;
  trackingId: string;
  /** Final HTTP status, or null when never answered (or dropped on purpose). */
  status: number | null;
}

/**
 * Posts webhooks as Zoom does (provider-facts §B1): `x-zm-signature` = `v0=` + hex HMAC-SHA256 of
 * `v0:{timestamp}:{body}` with the secret token, `x-zm-request-timestamp` in seconds, a tracking id.
 * Deliveries of one session are ordered; each resolves once delivered or given up. Zoom retries over
 * minutes and gives up on a 4xx answer too late to matter here: this retries at once on 5xx or no answer.
 */
export class ZoomWebhookSender {
  private readonly key: KeyObject;
  private readonly queues = new Map<string, Promise<void>>();
  callbackUrl: string | null = null;
  /** Deliveries still to be dropped silently (a lost webhook, for tests of reconciliation). */
  dropNext = 0;
  readonly sent: SentWebhook[] = [];

  constructor(
    secretToken: string,
    private readonly log: (message: string, fields?: object) => void,
  ) {
    this.key = createSecretKey(Buffer.from(secretToken, 'utf8'));
  }

  /** `{event, event_ts, payload: {account_id, object}}` plus top-level extras (recording_completed's `download_token`). */
  send(queue: string, event: string, object: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<void> {
    const body = JSON.stringify({event, event_ts: Date.now(), payload: {account_id: 'emulator-account', object}, ...extra});
    const previous = this.queues.get(queue) ?? Promise.resolve();
    const delivery = previous.then(() => this.deliver(event, body, randomUUID()));
    this.queues.set(queue, delivery);
    void delivery.then(() => {
      if (this.queues.get(queue) === delivery) this.queues.delete(queue);
    });
    return delivery;
  }

  /** Sends the last webhook's exact body again, as Zoom's retry would (fresh signature, same tracking id). */
  async redeliverLast(): Promise<SentWebhook | null> {
    const last = this.sent.at(-1);
    if (!last) return null;
    await this.deliver(last.event, last.body, last.trackingId);
    return this.sent.at(-1)!;
  }

  /** Zoom's endpoint check: a signed `endpoint.url_validation`; the answer must carry the right encryptedToken. */
  async validate(url: string): Promise<void> {
    const plainToken = randomBytes(16).toString('base64url');
    const body = JSON.stringify({event: 'endpoint.url_validation', event_ts: Date.now(), payload: {plainToken}});
    const response = await fetch(url, {method: 'POST', headers: this.headers(body, randomUUID()), body, signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS)});
    const answer = (await response.json().catch(() => null)) as {plainToken?: unknown; encryptedToken?: unknown} | null;
    const expected = createHmac('sha256', this.key).update(plainToken).digest('hex');
    if (response.status !== 200 || answer?.plainToken !== plainToken || answer?.encryptedToken !== expected) {
      throw new Error(`URL validation of ${url} failed (HTTP ${response.status})`);
    }
  }

  private async deliver(event: string, body: string, trackingId: string): Promise<void> {
    const record: SentWebhook = {event, body, trackingId, status: null};
    this.sent.push(record);
    const url = this.callbackUrl;
    if (!url) return;
    if (this.dropNext > 0) {
      this.dropNext--;
      this.log('webhook dropped on purpose', {event});
      return;
    }
    for (let attempt = 1; attempt <= WEBHOOK_ATTEMPTS; attempt++) {
      try {
        const response = await fetch(url, {method: 'POST', headers: this.headers(body, trackingId), body, signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS)});
        await response.arrayBuffer();
        record.status = response.status;
        if (response.status < 500) {
          if (!response.ok) this.log('webhook refused', {event, status: response.status});
          return;
        }
      } catch (error) {
        this.log('webhook delivery failed', {event, attempt, error: (error as Error).message});
      }
      if (attempt < WEBHOOK_ATTEMPTS) await new Promise(resolve => setTimeout(resolve, BACKOFF_STEP_MS * attempt));
    }
  }

  private headers(body: string, trackingId: string): Record<string, string> {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', this.key).update(`v0:${timestamp}:${body}`).digest('hex');
    return {
      'content-type': 'application/json',
      'user-agent': 'Zoom Marketplace/1.0a',
      'x-zm-request-timestamp': timestamp,
      'x-zm-signature': `v0=${signature}`,
      'x-zm-trackingid': trackingId,
    };
  }
}
