/** Injected time source, so rules about "now" are testable without sleeping. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = {now: () => new Date()};
