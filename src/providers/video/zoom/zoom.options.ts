import type {ZoomConfig} from '../../../config/video-config';

/** What the Zoom provider needs: the validated `ZOOM_*` section plus the service-wide rules it applies. */
export interface ZoomProviderOptions extends ZoomConfig {
  /** Accepted distance of a webhook's timestamp from now, both ways, in seconds. */
  webhookToleranceSeconds: number;
  /** Region of the S3 bucket a storage target names (Zoom asks for it; the target has none). */
  s3Region: string;
  /** Epoch milliseconds (tests pin it). */
  now?: () => number;
}

/** Fails fast, naming the field; messages never echo a value (the fields hold secrets). */
export function validateZoomOptions(options: ZoomProviderOptions): void {
  for (const field of ['sdkKey', 'sdkSecret', 'apiKey', 'apiSecret'] as const) {
    if (typeof options[field] !== 'string' || !options[field].trim()) throw new Error(`Zoom option ${field} is required`);
  }
  if (!options.webhookSecretTokens?.length || options.webhookSecretTokens.some(token => !token)) {
    throw new Error('Zoom option webhookSecretTokens needs at least one secret token: Zoom signs every webhook');
  }
  if (typeof options.apiHost !== 'string' || !/^https?:\/\/[^/]+/.test(options.apiHost) || options.apiHost.endsWith('/')) {
    throw new Error('Zoom option apiHost must be an http(s) URL without a trailing slash');
  }
  if (!Number.isInteger(options.timeoutMs) || options.timeoutMs <= 0) throw new Error('Zoom option timeoutMs must be a positive whole number of milliseconds');
}
