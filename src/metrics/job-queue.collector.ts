import {extensions, Getter, inject, injectable} from '@loopback/core';
import {Gauge, Registry} from 'prom-client';
import type {JobHandler} from '../jobs/job-handler';
import type {JobQueue} from '../jobs/job-queue';
import {JobBindings} from '../keys';
import {asMetricsCollector, MetricsCollector} from './metrics-collector';

/**
 * Depth and age of the oldest due job of every queue a handler works, from one query at scrape time. The queue
 * is shared by every replica, so cluster workers report the same numbers: aggregated by `max`, not summed.
 */
@injectable(asMetricsCollector)
export class JobQueueCollector implements MetricsCollector {
  private gauges?: {depth: Gauge<'queue'>; oldest: Gauge<'queue'>};

  constructor(
    @inject(JobBindings.QUEUE) private readonly queue: JobQueue,
    @extensions(JobBindings.HANDLERS) private readonly handlers: Getter<JobHandler[]>,
  ) {}

  register(registry: Registry): void {
    const gauge = (name: string, help: string) => new Gauge({name, help, labelNames: ['queue'] as const, registers: [registry], aggregator: 'max'});
    this.gauges = {
      depth: gauge('vcs_job_queue_depth', 'Jobs waiting to run (queued, delayed or waiting for a retry), by queue'),
      oldest: gauge('vcs_job_queue_oldest_age_seconds', 'Seconds the oldest job that is due has waited to run (0 when none), by queue'),
    };
  }

  async collect(): Promise<void> {
    if (!this.gauges || !this.queue.stats) return;
    const [handlers, stats] = await Promise.all([this.handlers(), this.queue.stats()]);
    const byQueue = new Map(stats.map(s => [s.queue, s]));
    // Only the queues this service works: their number is bounded by the code, whatever else the schema holds.
    for (const {queue} of handlers) {
      const s = byQueue.get(queue);
      this.gauges.depth.set({queue}, s?.waiting ?? 0);
      this.gauges.oldest.set({queue}, s?.oldestDueSeconds ?? 0);
    }
  }
}
