import {createHash, createSecretKey, KeyObject, randomUUID} from 'node:crypto';
import jwt from 'jsonwebtoken';

export interface CallbackSenderOptions {
  applicationId: string;
  apiKey?: string;
  signatureSecret?: string;
  log: (message: string, fields?: object) => void;
}

const ATTEMPTS = 3;
const TIMEOUT_MS = 5000;

/** Posts callbacks as Vonage does, signed (provider-facts §A9) when a secret is set. */
export class CallbackSender {
  private readonly secret?: KeyObject;
  callbackUrl: string | null = null;
  /** Each delivery, for tests and the state endpoint. */
  readonly delivered: Array<{event: string; status: number | null}> = [];

  constructor(private readonly options: CallbackSenderOptions) {
    if (options.signatureSecret) this.secret = createSecretKey(Buffer.from(options.signatureSecret, 'utf8'));
  }

  /** Resolves once delivered or given up, so callers can assert right after. */
  async send(payload: Record<string, unknown>): Promise<void> {
    if (!this.callbackUrl) return;
    const body = JSON.stringify(payload);
    let status: number | null = null;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        const response = await fetch(this.callbackUrl, {
          method: 'POST',
          headers: {'Content-Type': 'application/json', ...this.signature(body)},
          body,
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        status = response.status;
        await response.arrayBuffer();
        if (response.ok || (response.status >= 400 && response.status < 500)) break;
      } catch (error) {
        this.options.log('callback delivery failed', {event: payload.event, attempt, error: (error as Error).message});
      }
      await new Promise(resolve => setTimeout(resolve, 100 * attempt));
    }
    this.delivered.push({event: String(payload.event), status});
  }

  private signature(body: string): Record<string, string> {
    if (!this.secret) return {};
    const token = jwt.sign(
      {
        iat: Math.floor(Date.now() / 1000),
        jti: randomUUID(),
        iss: 'Vonage',
        payload_hash: createHash('sha256').update(body).digest('hex'),
        api_key: this.options.apiKey ?? this.options.applicationId,
        application_id: this.options.applicationId,
      },
      this.secret,
      {algorithm: 'HS256'},
    );
    return {Authorization: token};
  }
}
