import {randomBytes} from 'node:crypto';
import {Webhook} from 'standardwebhooks';

export const SIGNING_KEY_PREFIX = 'whsec_';
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;
/** Standard base64 with its padding: what `whsec_` keys carry (the spec's serialisation). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A fresh symmetric key: 32 random bytes, `whsec_` + base64 (Standard Webhooks). */
export function generateSigningKey(): string {
  return SIGNING_KEY_PREFIX + randomBytes(32).toString('base64');
}

/** Why `key` cannot sign deliveries, or null when it can. */
export function signingKeyProblem(key: string): string | null {
  if (!key.startsWith(SIGNING_KEY_PREFIX)) return `signingKey must start with "${SIGNING_KEY_PREFIX}"`;
  const encoded = key.slice(SIGNING_KEY_PREFIX.length);
  if (encoded === '' || !BASE64.test(encoded)) return `signingKey must be "${SIGNING_KEY_PREFIX}" followed by standard base64`;
  const bytes = Buffer.from(encoded, 'base64').length;
  if (bytes < MIN_KEY_BYTES || bytes > MAX_KEY_BYTES) {
    return `signingKey must encode ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES} random bytes, got ${bytes}`;
  }
  return null;
}

/** One key that signs a delivery: a cache key that changes whenever the key does, and how to get the key. */
export interface SigningKeySource {
  /** E.g. `<subscription id>:<key version>`; a rotation makes a new version, so nothing stale is reused. */
  cacheKey: string;
  /** Opens the stored key; called once per cache key and process. */
  reveal(): string;
}

/**
 * Signs deliveries with `standardwebhooks`. A key is parsed once per process (cached by subscription and
 * key version), not per delivery; several keys (a rotation's overlap) give space-separated signatures.
 */
export class StandardWebhookSigner {
  private readonly webhooks = new Map<string, Webhook>();

  constructor(private readonly maxCachedKeys = 10_000) {}

  /** The `webhook-signature` header value. */
  sign(messageId: string, timestamp: Date, body: string, keys: SigningKeySource[]): string {
    return keys.map(key => this.webhookFor(key).sign(messageId, timestamp, body)).join(' ');
  }

  private webhookFor(key: SigningKeySource): Webhook {
    let webhook = this.webhooks.get(key.cacheKey);
    if (!webhook) {
      // Bounded: a process serving many subscriptions forgets the oldest parsed key first.
      if (this.webhooks.size >= this.maxCachedKeys) this.webhooks.delete(this.webhooks.keys().next().value as string);
      webhook = new Webhook(key.reveal());
      this.webhooks.set(key.cacheKey, webhook);
    }
    return webhook;
  }
}
