/** How pg-boss treats a failed or overlong run of one queue's jobs. */
export interface RetryPolicy {
  /** Runs after the first; 0 runs a job once. */
  retryLimit: number;
  /** Wait before a retry; with backoff, pg-boss waits delay·2ⁿ to twice that before retry n (counted from 0). */
  retryDelaySeconds: number;
  retryBackoff: boolean;
  /** A run still going after this long is failed (and retried if runs are left), though its promise keeps running. */
  expireInSeconds: number;
}

/**
 * One durable job: its queue, the queue's retry policy, an optional schedule and the work.
 * Bind it with `asJobHandler`; the jobs observer creates, works and schedules its queue.
 */
export interface JobHandler<T extends object = object> {
  readonly queue: string;
  readonly retryPolicy: RetryPolicy;
  /** Cron (UTC): one job per tick across all replicas. */
  readonly schedule?: string;
  /** Throws to have the job retried by the queue's policy. */
  handle(data: T): Promise<void>;
}
