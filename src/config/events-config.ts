import {ConfigError, EnvReader} from './env-reader';

/** Svix's schedule (provider-facts §G2b): about 27.6 h from the first attempt to the last. */
export const DEFAULT_DELIVERY_SCHEDULE_SECONDS: readonly number[] = [5, 300, 1800, 7200, 18000, 36000, 36000];

/** The event log and the delivery of events to subscriptions. */
export interface EventsConfig {
  /** Days events (and their delivery log) are kept (EVENT_RETENTION_DAYS). */
  retentionDays: number;
  /** Waits before each retry; the length is the number of retries (WEBHOOK_DELIVERY_SCHEDULE_SECONDS, for tests and demos). */
  deliveryScheduleSeconds: number[];
  /** A delivery answered after this long is a failure. */
  deliveryTimeoutMs: number;
  /** A subscription failing every attempt for this long is paused with `failed` set. */
  disableAfterFailingMs: number;
  /** Deliveries one process sends at once (WEBHOOK_DELIVERY_CONCURRENCY). */
  maxConcurrentDeliveries: number;
  /** Deliveries in flight to one subscription, across replicas: a slow subscriber holds only these. */
  perSubscriptionConcurrency: number;
  /** A later event of a meeting waits while an earlier one has had fewer attempts than this. */
  orderWaitAttempts: number;
  /** How long the previous key still signs after a rotation. */
  keyOverlapMs: number;
  /** How often idle workers look for due retries (NOTIFY wakes them for new events). */
  pollIntervalMs: number;
}

export function readEventsConfig(read: EnvReader): EventsConfig {
  return {
    retentionDays: read.integer('EVENT_RETENTION_DAYS', {min: 1, max: 3650}) ?? 30,
    deliveryScheduleSeconds: readSchedule(read) ?? [...DEFAULT_DELIVERY_SCHEDULE_SECONDS],
    deliveryTimeoutMs: 15_000,
    disableAfterFailingMs: 5 * 86_400_000,
    maxConcurrentDeliveries: read.integer('WEBHOOK_DELIVERY_CONCURRENCY', {min: 1, max: 1000}) ?? 64,
    perSubscriptionConcurrency: 8,
    // 0 s, 5 s, 5 min and 30 min: a later event waits about 35 minutes at most (README).
    orderWaitAttempts: 4,
    keyOverlapMs: 86_400_000,
    pollIntervalMs: 1000,
  };
}

function readSchedule(read: EnvReader): number[] | undefined {
  const name = 'WEBHOOK_DELIVERY_SCHEDULE_SECONDS';
  const raw = read.list(name);
  if (raw.length === 0) return undefined;
  const values = raw.map(Number);
  if (values.some(v => !Number.isFinite(v) || v < 0 || v > 86_400)) {
    throw new ConfigError(name, `must list seconds from 0 to 86400 separated by commas, got "${raw.join(',')}"`);
  }
  return values;
}
