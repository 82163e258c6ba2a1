import type {KeyObject} from 'node:crypto';
import {signHs256, zoomSecretKey} from './zoom-hs256';

/** Lifetime of one API JWT: Zoom recommends at most an hour (provider-facts §B4). */
export const ZOOM_API_JWT_TTL_SECONDS = 3600;
/** A JWT is renewed this long before its `exp`, so a reused one never arrives expired (clock skew, slow calls). */
export const ZOOM_API_JWT_RENEW_BEFORE_SECONDS = 300;

/**
 * The bearer JWT of the Video SDK REST API: HS256 with the API secret, `{iss: API key, iat, exp}`.
 * The secret is a KeyObject made once, and one JWT is sent with every call until it nears its expiry.
 */
export class ZoomRestAuth {
  private readonly key: KeyObject;
  private current?: {header: string; iatSeconds: number; expSeconds: number};

  constructor(
    private readonly apiKey: string,
    apiSecret: string,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.key = zoomSecretKey(apiSecret);
  }

  /** `Bearer <jwt>`: the current one, or a fresh one when it is within five minutes of expiring. */
  bearerHeader(): string {
    const nowSeconds = Math.floor(this.nowMs() / 1000);
    const current = this.current;
    // A clock that stepped back before the JWT's iat mints anew too.
    if (current && nowSeconds >= current.iatSeconds && nowSeconds < current.expSeconds - ZOOM_API_JWT_RENEW_BEFORE_SECONDS) return current.header;
    const expSeconds = nowSeconds + ZOOM_API_JWT_TTL_SECONDS;
    const header = `Bearer ${signHs256({iss: this.apiKey, iat: nowSeconds, exp: expSeconds}, this.key)}`;
    this.current = {header, iatSeconds: nowSeconds, expSeconds};
    return header;
  }
}
