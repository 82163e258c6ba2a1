import type {Registry} from 'prom-client';
import type {JobRunInfo} from '../jobs/job-queue';
import {FastCounter} from './fast-metrics';

/** Runs of durable jobs by queue and outcome, and the runs that were retries (provider work after a failure). */
export class JobMetrics {
  private readonly runs: FastCounter<'queue' | 'outcome'>;
  private readonly retries: FastCounter<'queue'>;

  constructor(registry: Registry) {
    this.runs = new FastCounter('vcs_job_runs_total', 'Runs of durable jobs, by queue and outcome (completed or failed)', ['queue', 'outcome'], registry);
    this.retries = new FastCounter('vcs_job_retries_total', 'Runs of durable jobs that retry an earlier failed run, by queue', ['queue'], registry);
  }

  prepare(queues: readonly string[]): void {
    for (const queue of queues) {
      this.runs.child({queue, outcome: 'completed'});
      this.runs.child({queue, outcome: 'failed'});
      this.retries.child({queue});
    }
  }

  /** Runs `work` for one job of `queue`, counting it; the error goes on to the queue, which decides on a retry. */
  async measure(queue: string, run: JobRunInfo | undefined, work: () => Promise<void>): Promise<void> {
    if (run && run.retryCount > 0) this.retries.child({queue}).value++;
    try {
      await work();
      this.runs.child({queue, outcome: 'completed'}).value++;
    } catch (error) {
      this.runs.child({queue, outcome: 'failed'}).value++;
      throw error;
    }
  }
}
