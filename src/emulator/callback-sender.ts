import {createHash, createSecretKey, KeyObject, randomUUID} from 'node:crypto';
import jwt from 'jsonwebtoken';

export interface CallbackSenderOptions {
  applicationId: string;
  apiKey?: string;
  signatureSecret?: string;
  log: (message: string, fields?: object) => void;
}

export const CALLBACK_ATTEMPTS = 3;
const ATTEMPT_TIMEOUT_MS = 5000;
const BACKOFF_STEP_MS = 100;

/**
 * Posts callbacks as Vonage does (provider-facts §A8), signed (§A9) when a secret
 * is set. Deliveries of one session are strictly ordered; each send resolves once
 * delivered or given up, so the caller can answer only afterwards.
 */
export class CallbackSender {
  private readonly secret?: KeyObject;
  /** Tail of each session's delivery chain. */
  private readonly queues = new Map<string, Promise<void>>();
  callbackUrl: string | null = null;
  /** Callbacks still to be dropped silently (a lost callback, for tests of presence reconciliation). */
  dropNext = 0;

  constructor(private readonly options: CallbackSenderOptions) {
    // A KeyObject, built once: jsonwebtoken first tries a string secret as a PEM (stack-notes "Crypto cost").
    if (options.signatureSecret) this.secret = createSecretKey(Buffer.from(options.signatureSecret, 'utf8'));
  }

  send(sessionId: string, payload: Record<string, unknown>): Promise<void> {
    const previous = this.queues.get(sessionId) ?? Promise.resolve();
    const delivery = previous.then(() => this.deliver(payload));
    this.queues.set(sessionId, delivery);
    // Forget the chain once it drains, so long runs do not keep every session.
    void delivery.then(() => {
      if (this.queues.get(sessionId) === delivery) this.queues.delete(sessionId);
    });
    return delivery;
  }

  /** Never rejects: a lost callback is logged, as Vonage would drop it after its retries. */
  private async deliver(payload: Record<string, unknown>): Promise<void> {
    const url = this.callbackUrl;
    if (!url) return;
    if (this.dropNext > 0) {
      this.dropNext--;
      this.options.log('callback dropped on purpose', {event: payload.event});
      return;
    }
    const body = JSON.stringify(payload);
    for (let attempt = 1; attempt <= CALLBACK_ATTEMPTS; attempt++) {
      let outcome: string;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: {'Content-Type': 'application/json', ...this.signature(body)},
          body,
          signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
        });
        await response.arrayBuffer();
        // A 4xx will not get better by resending the same bytes.
        if (response.ok) return;
        outcome = `HTTP ${response.status}`;
        if (response.status < 500) {
          this.options.log('callback refused', {event: payload.event, status: response.status});
          return;
        }
      } catch (error) {
        outcome = (error as Error).message;
      }
      this.options.log('callback delivery failed', {event: payload.event, attempt, outcome});
      if (attempt < CALLBACK_ATTEMPTS) await new Promise(resolve => setTimeout(resolve, BACKOFF_STEP_MS * attempt));
    }
  }

  private signature(body: string): Record<string, string> {
    if (!this.secret) return {};
    const token = jwt.sign(
      {
        iat: Math.floor(Date.now() / 1000),
        jti: randomUUID(),
        iss: 'Vonage',
        // Over the exact bytes sent, so receivers can check the body was not altered.
        payload_hash: createHash('sha256').update(body, 'utf8').digest('hex'),
        api_key: this.options.apiKey ?? this.options.applicationId,
        application_id: this.options.applicationId,
      },
      this.secret,
      {algorithm: 'HS256'},
    );
    return {Authorization: token};
  }
}
