import {extensions, Getter, inject, lifeCycleObserver, LifeCycleObserver} from '@loopback/core';
import {JobBindings, MetricsBindings} from '../keys';
import type {ServiceMetrics} from '../metrics/service-metrics';
import type {JobHandler} from './job-handler';
import type {JobQueue} from './job-queue';

/**
 * Starts the durable queue after the datasource and stops it before; gives every handler bound
 * to the extension point its queue, with the handler's retry policy, its worker and its schedule.
 */
@lifeCycleObserver('jobs')
export class JobsObserver implements LifeCycleObserver {
  constructor(
    @inject(JobBindings.QUEUE) private readonly queue: JobQueue,
    @extensions(JobBindings.HANDLERS) private readonly handlers: Getter<JobHandler[]>,
    @inject(MetricsBindings.METRICS, {optional: true}) private readonly metrics?: ServiceMetrics,
  ) {}

  async start(): Promise<void> {
    await this.queue.start();
    const handlers = await this.handlers();
    const queues = handlers.map(handler => handler.queue);
    const twice = queues.find((queue, index) => queues.indexOf(queue) !== index);
    // Two workers on one queue would take each other's jobs, under whichever policy was set last.
    if (twice) throw new Error(`Two job handlers are bound for queue ${twice}`);
    const jobs = this.metrics?.jobs;
    jobs?.prepare(queues);
    for (const handler of handlers) {
      await this.queue.createQueue(handler.queue, handler.retryPolicy);
      await this.queue.register(
        handler.queue,
        jobs ? (data, run) => jobs.measure(handler.queue, run, () => handler.handle(data)) : data => handler.handle(data),
      );
      if (handler.schedule) await this.queue.schedule(handler.queue, handler.schedule);
    }
  }

  async stop(): Promise<void> {
    await this.queue.stop();
  }
}
