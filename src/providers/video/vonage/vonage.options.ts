import {createPrivateKey} from 'node:crypto';

/** What the Vonage provider needs; built from the validated service config. */
export interface VonageProviderOptions {
  applicationId: string;
  /** Application private key as PEM text. */
  privateKeyPem: string;
  /** Video REST API base URL, no trailing slash. */
  videoHost: string;
  /** Legacy OpenTok REST base URL (storage target calls). */
  apiHost: string;
  /** Legacy OpenTok project key/secret; without them the storage target is set in the dashboard. */
  apiKey?: string;
  apiSecret?: string;
  /** Timeout of one REST call, in milliseconds. */
  timeoutMs: number;
}

/** Fails fast, naming the field, instead of on the first call. */
export function validateVonageOptions(options: VonageProviderOptions): void {
  if (!options.applicationId) throw new Error('Vonage applicationId is required');
  try {
    const key = createPrivateKey(options.privateKeyPem);
    if (key.asymmetricKeyType !== 'rsa') throw new Error('not RSA');
  } catch {
    throw new Error('Vonage private key is not a readable RSA private key (PEM)');
  }
  for (const [field, url] of [['videoHost', options.videoHost], ['apiHost', options.apiHost]] as const) {
    if (!/^https?:\/\/[^/]+/.test(url) || url.endsWith('/')) throw new Error(`Vonage ${field} must be an http(s) URL without a trailing slash`);
  }
  if (Boolean(options.apiKey) !== Boolean(options.apiSecret)) throw new Error('Vonage apiKey and apiSecret go together');
}
