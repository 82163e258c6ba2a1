import {createHash, createSecretKey, KeyObject} from 'node:crypto';
import jwt from 'jsonwebtoken';
import {timingSafeEqual} from '../../../signing/timing-safe-equal';
import {isWithinWindow} from '../../../signing/timestamp-window';
import {WebhookVerificationError} from '../../../signing/webhook-verification.error';

export interface VonageCallbackVerifierOptions {
  /** Every currently valid signature secret (rotation keeps two at once). */
  secrets: string[];
  /** When set, a callback naming another application, or none, is rejected. */
  applicationId?: string;
  toleranceSeconds: number;
  /** Accept callbacks without a signature; only when explicitly configured. */
  allowUnsigned: boolean;
  now?: () => number;
}

export interface VerifiedCallback {
  signed: boolean;
  /** The signature's unique id, when signed. */
  jti?: string;
}

interface VonageCallbackClaims {
  iat?: unknown;
  jti?: unknown;
  payload_hash?: unknown;
  application_id?: unknown;
}

/**
 * Verifies Vonage signed callbacks over the exact raw body bytes: HS256 JWT in
 * `Authorization`, `payload_hash` = hex SHA-256 of the body, application id,
 * and `iat` within the tolerance in both directions. Pure: no I/O.
 */
export class VonageCallbackVerifier {
  private readonly keys: KeyObject[];
  private readonly now: () => number;

  constructor(private readonly options: VonageCallbackVerifierOptions) {
    this.keys = options.secrets.map(secret => createSecretKey(Buffer.from(secret, 'utf8')));
    this.now = options.now ?? Date.now;
  }

  verify(rawBody: Buffer, authorization: string | undefined): VerifiedCallback {
    if (this.keys.length === 0) {
      if (this.options.allowUnsigned) return {signed: false};
      throw new WebhookVerificationError('no signature secret is configured and unsigned callbacks are not allowed');
    }
    if (!authorization) throw new WebhookVerificationError('missing Authorization header');
    const token = authorization.replace(/^Bearer\s+/i, '').trim();
    const claims = this.verifySignature(token);
    if (typeof claims.payload_hash !== 'string') throw new WebhookVerificationError('signature has no payload_hash');
    const bodyHash = createHash('sha256').update(rawBody).digest('hex');
    if (!timingSafeEqual(bodyHash, claims.payload_hash.toLowerCase())) {
      throw new WebhookVerificationError('payload_hash does not match the body');
    }
    // A secret may be shared by several applications: only our claim says the callback is meant for us.
    if (this.options.applicationId && claims.application_id !== this.options.applicationId) {
      throw new WebhookVerificationError('callback names no application or another one');
    }
    if (typeof claims.iat !== 'number' || !isWithinWindow(claims.iat, this.now(), this.options.toleranceSeconds)) {
      throw new WebhookVerificationError('iat is missing or outside the tolerance window', 'stale');
    }
    return {signed: true, jti: typeof claims.jti === 'string' ? claims.jti : undefined};
  }

  private verifySignature(token: string): VonageCallbackClaims {
    for (const key of this.keys) {
      try {
        // iat is checked against our own window below; Vonage sends no exp.
        const payload = jwt.verify(token, key, {algorithms: ['HS256'], ignoreExpiration: true, clockTimestamp: Math.floor(this.now() / 1000)});
        if (typeof payload === 'object' && payload !== null) return payload as VonageCallbackClaims;
      } catch {
        // Try the next secret: during rotation only one of them signed this.
      }
    }
    throw new WebhookVerificationError('signature does not verify with any configured secret');
  }
}
