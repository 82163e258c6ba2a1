/** A callback failed verification; `message` is for logs, the client sees a generic 401. */
export class WebhookVerificationError extends Error {
  readonly code = 'WEBHOOK_UNVERIFIED';
  constructor(readonly reason: string) {
    super(`callback rejected: ${reason}`);
    this.name = 'WebhookVerificationError';
  }
}
