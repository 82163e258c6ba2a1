/** What went wrong at the provider, in words the error mapping understands. */
export type VideoProviderErrorCode =
  | 'PROVIDER_UNAVAILABLE' // transport error, timeout or 5xx
  | 'PROVIDER_REJECTED' // 4xx other than the ones below
  | 'PROVIDER_AUTH_FAILED' // 401/403: our credentials are wrong
  | 'PROVIDER_NOT_FOUND' // 404
  | 'PROVIDER_CONFLICT'; // 409: e.g. deleting an archive that is still recording

/** Every remote failure of a video provider becomes this one type. */
export class VideoProviderError extends Error {
  readonly provider: string;
  readonly status?: number;
  readonly code: VideoProviderErrorCode;
  /** True for transport errors and 5xx: safe to retry later with backoff. */
  readonly retryable: boolean;

  constructor(options: {provider: string; code: VideoProviderErrorCode; message: string; status?: number; cause?: unknown}) {
    super(options.message, {cause: options.cause});
    this.name = 'VideoProviderError';
    this.provider = options.provider;
    this.code = options.code;
    this.status = options.status;
    this.retryable = options.code === 'PROVIDER_UNAVAILABLE';
  }

  static fromStatus(provider: string, status: number | undefined, operation: string, cause?: unknown): VideoProviderError {
    const code = codeForStatus(status);
    const detail = status === undefined ? 'did not answer' : `answered HTTP ${status}`;
    return new VideoProviderError({provider, code, status, cause, message: `${provider} ${operation} failed: the provider ${detail}`});
  }
}

function codeForStatus(status: number | undefined): VideoProviderErrorCode {
  if (status === undefined || status >= 500 || status === 429) return 'PROVIDER_UNAVAILABLE';
  if (status === 401 || status === 403) return 'PROVIDER_AUTH_FAILED';
  if (status === 404) return 'PROVIDER_NOT_FOUND';
  if (status === 409) return 'PROVIDER_CONFLICT';
  return 'PROVIDER_REJECTED';
}
