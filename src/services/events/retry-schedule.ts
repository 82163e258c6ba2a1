/** Jitter of ±10 %: retries of many deliveries that failed together spread out instead of arriving together. */
const JITTER = 0.1;

export interface RetryInput {
  /** Attempts made in this round, the one that just failed included. */
  attemptsMade: number;
  firstAttemptAt: Date;
  now: Date;
  /** Wait before each retry (seconds); its length is the number of retries. */
  scheduleSeconds: readonly number[];
  /** What the receiver's `Retry-After` asked for, if anything. */
  retryAfterMs?: number;
  random?: () => number;
}

/**
 * When to try again after a failure, or null when the schedule is spent. `Retry-After` is honoured
 * when it asks for more than the schedule, but never past the schedule's own window (first attempt
 * + every wait), so a receiver cannot stretch a delivery's life beyond it.
 */
export function nextAttemptAt(input: RetryInput): Date | null {
  const {attemptsMade, scheduleSeconds, now} = input;
  if (attemptsMade > scheduleSeconds.length) return null;
  const random = input.random ?? Math.random;
  const scheduledMs = scheduleSeconds[attemptsMade - 1] * 1000 * (1 - JITTER + 2 * JITTER * random());
  let delayMs = scheduledMs;
  if (input.retryAfterMs !== undefined && input.retryAfterMs > scheduledMs) {
    const windowEndMs = input.firstAttemptAt.getTime() + scheduleSeconds.reduce((sum, s) => sum + s, 0) * 1000;
    delayMs = Math.max(scheduledMs, Math.min(input.retryAfterMs, windowEndMs - now.getTime()));
  }
  return new Date(now.getTime() + delayMs);
}

/** `Retry-After` as delay-seconds or an HTTP date, in ms from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now.getTime());
}
