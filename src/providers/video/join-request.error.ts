/**
 * A join request the provider cannot carry (data too long for what it wraps it in, characters it
 * cannot pass on). The caller's fault, so it maps to 400 like the domain's ValidationError; the
 * message states the limit.
 */
export class JoinRequestError extends Error {
  readonly code = 'VALIDATION_FAILED';
  constructor(message: string) {
    super(message);
    this.name = 'JoinRequestError';
  }
}
