import {createHmac, KeyObject} from 'node:crypto';
import {isWithinWindow} from '../../../signing/timestamp-window';
import {timingSafeEqual} from '../../../signing/timing-safe-equal';
import {WebhookVerificationError} from '../../../signing/webhook-verification.error';
import type {WebhookRequest} from '../video-event';
import {zoomSecretKey} from './zoom-hs256';

export interface ZoomWebhookVerifierOptions {
  /** Every secret token that may currently sign webhooks (rotation keeps two valid at once). */
  secretTokens: string[];
  /** Accepted distance of `x-zm-request-timestamp` from now, both ways, in seconds. */
  toleranceSeconds: number;
  /** Epoch milliseconds (tests pin it). */
  now?: () => number;
}

/** A timestamp this large is in milliseconds (seconds reach it in the year 33658). */
const MILLISECONDS_FROM = 1e12;

/**
 * Zoom's webhook signature (provider-facts §B1), checked over the exact raw bytes before anything is
 * parsed: `x-zm-signature` = `v0=` + hex HMAC-SHA256(secret token, `v0:{timestamp}:{body}`), compared
 * in constant time against every configured token, and the timestamp bounded both ways (Zoom's own
 * samples do not bound it). Pure: no I/O.
 */
export class ZoomWebhookVerifier {
  private readonly keys: KeyObject[];
  private readonly now: () => number;

  constructor(private readonly options: ZoomWebhookVerifierOptions) {
    // KeyObjects, built once: every webhook is checked with them.
    this.keys = options.secretTokens.map(zoomSecretKey);
    this.now = options.now ?? Date.now;
  }

  /** The key whose token signed the request (the URL validation answer uses the same one). */
  verify(request: WebhookRequest): KeyObject {
    if (this.keys.length === 0) throw new WebhookVerificationError('no Zoom webhook secret token is configured');
    const signature = headerOf(request, 'x-zm-signature');
    const timestamp = headerOf(request, 'x-zm-request-timestamp');
    if (!signature || !timestamp) throw new WebhookVerificationError('missing x-zm-signature or x-zm-request-timestamp header');
    if (!/^\d{1,16}$/.test(timestamp)) throw new WebhookVerificationError('x-zm-request-timestamp is not a number');
    // Zoom sends seconds; milliseconds are accepted too (the signed message keeps the header as sent).
    const value = Number(timestamp);
    const seconds = value >= MILLISECONDS_FROM ? value / 1000 : value;
    if (!isWithinWindow(seconds, this.now(), this.options.toleranceSeconds)) {
      throw new WebhookVerificationError('x-zm-request-timestamp is outside the tolerance window', 'stale');
    }
    const prefix = `v0:${timestamp}:`;
    // Every key is tried, so the time taken does not tell which one matched.
    let matched: KeyObject | undefined;
    for (const key of this.keys) {
      const expected = `v0=${createHmac('sha256', key).update(prefix).update(request.rawBody).digest('hex')}`;
      if (timingSafeEqual(expected, signature) && !matched) matched = key;
    }
    if (!matched) throw new WebhookVerificationError('x-zm-signature does not verify with any configured secret token');
    return matched;
  }
}

/** The `endpoint.url_validation` answer: hex HMAC-SHA256 of the plain token with the secret that signed it. */
export function zoomEncryptedToken(key: KeyObject, plainToken: string): string {
  return createHmac('sha256', key).update(plainToken, 'utf8').digest('hex');
}

function headerOf(request: WebhookRequest, name: string): string | undefined {
  const value = request.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first !== '' ? first.trim() : undefined;
}
