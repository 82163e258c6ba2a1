import type {Transaction} from '../repositories/transaction';
import type {RetryPolicy} from './job-handler';

/** Queues the services enqueue into or the handlers name; a new handler's queue needs no entry here. */
export const JobNames = {
  /** Finish ending a meeting at the provider: disconnect clients, stop archives. */
  MeetingTeardown: 'meeting-teardown',
  /** Check a meeting against its lifecycle limits (maxDurationMinutes, endWhenEmptyMinutes) and end it when reached. */
  MeetingLimits: 'meeting-limits',
  /** Finish deleting an archive: provider copy and uploaded object. */
  ArchivePurge: 'archive-purge',
  /** Pull recent meetings' archives from the provider, for callbacks that never arrived. */
  ArchiveReconcile: 'archive-reconcile',
  /** Drop callback records past their retention (dedupe only needs the provider's retry window). */
  CallbackPrune: 'callback-prune',
  /** Drop events past EVENT_RETENTION_DAYS (their deliveries go with them). */
  EventPrune: 'event-prune',
  /** Delete webhook subscriptions past their purge date, with their delivery log. */
  SubscriptionPurge: 'webhook-subscription-purge',
  /** Compare live meetings' attendees with their providers' participants, for callbacks that never arrived. */
  PresenceReconcile: 'presence-reconcile',
} as const;
/** Any queue name: handlers bound to the extension point bring their own. */
export type JobName = string;

export interface EnqueueOptions {
  /** At most one queued job per key (e.g. one teardown per meeting). */
  singletonKey?: string;
  /** Enqueue inside this transaction, so the job exists only if the transaction commits. */
  transaction?: Transaction;
  /** Hold the job back this long (a safety net behind an inline attempt). */
  startAfterSeconds?: number;
}

/** Jobs of one queue waiting to run, for the metrics. */
export interface QueueStats {
  queue: JobName;
  /** Queued, delayed or waiting for a retry. */
  waiting: number;
  /** Seconds since the oldest of them became due (0 when none is due yet). */
  oldestDueSeconds: number;
}

/** What one run of a job is: pg-boss counts the runs before it. */
export interface JobRunInfo {
  retryCount: number;
}

/** A PostgreSQL-backed queue: jobs survive crashes and are shared by every replica. */
export interface JobQueue {
  /** Returns the job id, or null when a job with the same singletonKey is already queued. */
  enqueue(name: JobName, data: object, options?: EnqueueOptions): Promise<string | null>;
  /** Withdraws a queued job whose work was done inline. */
  cancel(name: JobName, jobId: string): Promise<void>;
  /**
   * Creates the queue, or gives an existing one this policy: every job enqueued from now on, by
   * any replica or schedule, takes it. Jobs already queued keep the policy they were sent with.
   */
  createQueue(name: JobName, policy: RetryPolicy): Promise<void>;
  /** Handlers throw to have the job retried by the queue's policy. */
  register<T extends object>(name: JobName, handler: (data: T, run: JobRunInfo) => Promise<void>): Promise<void>;
  /** Runs `name` on a cron schedule, once per tick across all replicas. */
  schedule(name: JobName, cron: string): Promise<void>;
  /** Waiting jobs of every queue that has any, in one cheap query (scrape time only). */
  stats?(): Promise<QueueStats[]>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
