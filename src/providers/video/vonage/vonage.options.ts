import {createPrivateKey} from 'node:crypto';

/** What the Vonage provider needs; built from the validated service config. */
export interface VonageProviderOptions {
  /** Vonage application id (also the "apiKey" client SDKs connect with). */
  applicationId: string;
  /** Application private key as PEM text (RSA). */
  privateKeyPem: string;
  /** Video REST API base URL, no trailing slash (e.g. `https://video.api.vonage.com`). */
  videoHost: string;
  /** Legacy OpenTok REST base URL, no trailing slash (storage target calls; e.g. `https://api.opentok.com`). */
  apiHost: string;
  /** Legacy OpenTok project key; without key and secret the storage target is set in the dashboard. */
  apiKey?: string;
  /** Legacy OpenTok project secret (signs `X-OPENTOK-AUTH`). */
  apiSecret?: string;
  /** Timeout of one REST call, in milliseconds. */
  timeoutMs: number;
  /** Worker threads that sign client tokens; 0 (default) signs on the event loop. */
  signingThreads?: number;
  /** Every secret that may currently sign callbacks (rotation keeps two valid at once). */
  signatureSecrets?: string[];
  /** Accepted distance of a callback's `iat` from now, both ways, in seconds (default 300). */
  callbackToleranceSeconds?: number;
  /** Accept unsigned callbacks when no secret is configured; only when explicitly asked for. */
  allowUnsignedCallbacks?: boolean;
  /** Clock for the callback window, in epoch milliseconds (tests pin it). */
  now?: () => number;
}

/**
 * Fails fast, naming the bad field, instead of on the first call. Messages
 * never echo a value: the fields hold secrets.
 */
export function validateVonageOptions(options: VonageProviderOptions): void {
  if (!options.applicationId?.trim()) throw new Error('Vonage option applicationId is required');
  try {
    const key = createPrivateKey(options.privateKeyPem);
    if (key.asymmetricKeyType !== 'rsa') throw new Error('not RSA');
  } catch {
    throw new Error('Vonage option privateKeyPem is not a readable RSA private key (PEM)');
  }
  for (const field of ['videoHost', 'apiHost'] as const) {
    const url = options[field];
    if (typeof url !== 'string' || !/^https?:\/\/[^/]+/.test(url) || url.endsWith('/')) {
      throw new Error(`Vonage option ${field} must be an http(s) URL without a trailing slash`);
    }
  }
  if (Boolean(options.apiKey) !== Boolean(options.apiSecret)) throw new Error('Vonage options apiKey and apiSecret must be set together');
  if (!Number.isInteger(options.timeoutMs) || options.timeoutMs <= 0)
    throw new Error('Vonage option timeoutMs must be a positive whole number of milliseconds');
  const threads = options.signingThreads ?? 0;
  if (!Number.isInteger(threads) || threads < 0) throw new Error('Vonage option signingThreads must be a whole number of 0 or more');
}
