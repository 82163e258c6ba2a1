/** What failed: the signature (missing, forged, another application's), or its time (outside the tolerance window). */
export type WebhookVerificationFailure = 'signature' | 'stale';

/** A callback failed verification; `message` is for logs, the client sees a generic 401. */
export class WebhookVerificationError extends Error {
  readonly code = 'WEBHOOK_UNVERIFIED';
  constructor(
    readonly reason: string,
    /** For the metrics' rejection reasons. */
    readonly failure: WebhookVerificationFailure = 'signature',
  ) {
    super(`callback rejected: ${reason}`);
    this.name = 'WebhookVerificationError';
  }
}
