import {Context, inject, lifeCycleObserver, LifeCycleObserver} from '@loopback/core';
import {JobBindings, ServiceBindings} from '../keys';
import type {TeardownJob} from '../services/meetings/meeting-end.service';
import type {ArchivePurgeJob} from '../services/archives/archive-purge.service';
import {JobNames, JobQueue} from './job-queue';

/** Starts the durable queue after the datasource, registers the workers, stops before the datasource. */
@lifeCycleObserver('jobs')
export class JobsObserver implements LifeCycleObserver {
  constructor(
    @inject(JobBindings.QUEUE) private readonly queue: JobQueue,
    @inject.context() private readonly context: Context,
  ) {}

  async start(): Promise<void> {
    await this.queue.start();
    const meetingEnd = await this.context.get(ServiceBindings.MEETING_END);
    const archivePurge = await this.context.get(ServiceBindings.ARCHIVE_PURGE);
    const archives = await this.context.get(ServiceBindings.ARCHIVE);
    const videoEvents = await this.context.get(ServiceBindings.CALLBACK_RETENTION);
    await this.queue.register<TeardownJob>(JobNames.MeetingTeardown, job => meetingEnd.teardown(job));
    await this.queue.register<ArchivePurgeJob>(JobNames.ArchivePurge, job => archivePurge.purge(job));
    await this.queue.register(JobNames.ArchiveReconcile, () => archives.reconcileRecentMeetings());
    // Vonage keeps archives 72 h; every ten minutes is well inside that.
    await this.queue.schedule(JobNames.ArchiveReconcile, '*/10 * * * *');
    await this.queue.register(JobNames.CallbackPrune, async () => void (await videoEvents.pruneOldCallbacks()));
    await this.queue.schedule(JobNames.CallbackPrune, '17 3 * * *');
  }

  async stop(): Promise<void> {
    await this.queue.stop();
  }
}
