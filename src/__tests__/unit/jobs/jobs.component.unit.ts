import {Application, createBindingFromClass, injectable} from '@loopback/core';
import {expect, sinon} from '@loopback/testlab';
import {asJobHandler} from '../../../jobs/as-job-handler';
import type {JobHandler, RetryPolicy} from '../../../jobs/job-handler';
import {JobNames} from '../../../jobs/job-queue';
import {JobsComponent} from '../../../services/jobs.component';
import {JobBindings} from '../../../keys';
import {ArchivePurgeService} from '../../../services/archives/archive-purge.service';
import {ArchiveService} from '../../../services/archives/archive.service';
import {MeetingEndService} from '../../../services/meetings/meeting-end.service';
import {MeetingLimitsService} from '../../../services/meetings/meeting-limits.service';
import {CallbackRetentionService} from '../../../services/presence/callback-retention.service';
import {EventRetentionService} from '../../../services/events/event-retention.service';
import {PresenceReconcileService} from '../../../services/presence/presence-reconcile.service';
import {QueueCall, RecordingJobQueue} from '../../fixtures/recording-job-queue';
import {bindServiceStub} from '../../helpers/service.helper';

describe('JobsComponent (unit)', () => {
  let app: Application;
  let queue: RecordingJobQueue;
  let services: {
    teardown: sinon.SinonStub;
    checkLimits: sinon.SinonStub;
    purge: sinon.SinonStub;
    reconcileRecentMeetings: sinon.SinonStub;
    pruneOldCallbacks: sinon.SinonStub;
    pruneOldEvents: sinon.SinonStub;
    purgeSubscriptions: sinon.SinonStub;
  };

  beforeEach(() => {
    app = new Application();
    queue = new RecordingJobQueue();
    services = {
      teardown: sinon.stub().resolves(),
      checkLimits: sinon.stub().resolves(),
      purge: sinon.stub().resolves(),
      reconcileRecentMeetings: sinon.stub().resolves(),
      pruneOldCallbacks: sinon.stub().resolves(3),
      pruneOldEvents: sinon.stub().resolves(2),
      purgeSubscriptions: sinon.stub().resolves(1),
    };
    app.bind(JobBindings.QUEUE).to(queue);
    bindServiceStub(app, MeetingEndService, {teardown: services.teardown});
    bindServiceStub(app, MeetingLimitsService, {check: services.checkLimits});
    bindServiceStub(app, ArchivePurgeService, {purge: services.purge});
    bindServiceStub(app, ArchiveService, {reconcileRecentMeetings: services.reconcileRecentMeetings});
    bindServiceStub(app, CallbackRetentionService, {pruneOldCallbacks: services.pruneOldCallbacks});
    bindServiceStub(app, EventRetentionService, {pruneOldEvents: services.pruneOldEvents, purgeSubscriptions: services.purgeSubscriptions});
    bindServiceStub(app, PresenceReconcileService, {reconcileDue: sinon.stub().resolves(0)});
    app.component(JobsComponent);
  });

  afterEach(() => app.stop());

  const policyOf = (name: string) =>
    (queue.calls.find(call => call[0] === 'createQueue' && call[1] === name) as Extract<QueueCall, ['createQueue', ...unknown[]]>)[2];

  it('creates, works and schedules every job of the service when the application starts', async () => {
    await app.start();
    const names = Object.values(JobNames);
    expect(
      queue.calls
        .filter(call => call[0] === 'register')
        .map(call => call[1])
        .sort(),
    ).to.eql([...names].sort());
    expect(queue.calls.filter(call => call[0] === 'schedule')).to.eql([
      ['schedule', JobNames.ArchiveReconcile, '*/10 * * * *'],
      ['schedule', JobNames.CallbackPrune, '17 3 * * *'],
      ['schedule', JobNames.EventPrune, '37 3 * * *'],
      ['schedule', JobNames.SubscriptionPurge, '23 * * * *'],
      ['schedule', JobNames.PresenceReconcile, '* * * * *'],
    ]);
  });

  it('retries teardown and purge with backoff for over an hour, the scheduled jobs little or not at all', async () => {
    await app.start();
    for (const name of [JobNames.MeetingTeardown, JobNames.ArchivePurge]) {
      const policy = policyOf(name);
      expect(policy).to.containEql({retryBackoff: true});
      expect(shortestRetrySpanSeconds(policy)).to.be.within(3600, 2 * 3600);
    }
    expect(policyOf(JobNames.ArchiveReconcile).retryLimit).to.equal(0);
    expect(policyOf(JobNames.CallbackPrune).retryLimit).to.be.within(1, 3);
    // Retrying a scheduled run must be over before the next tick queues the same work.
    expect(shortestRetrySpanSeconds(policyOf(JobNames.CallbackPrune))).to.be.below(86400);
  });

  it('hands each job to the service that does the work', async () => {
    await app.start();
    await queue.run(JobNames.MeetingTeardown, {meetingId: 7, sessionId: 's7'});
    await queue.run(JobNames.ArchivePurge, {archiveId: 'a1'});
    await queue.run(JobNames.MeetingLimits, {meetingId: 7, limit: 'max_duration'});
    await queue.run(JobNames.ArchiveReconcile);
    await queue.run(JobNames.CallbackPrune);
    await queue.run(JobNames.EventPrune);
    await queue.run(JobNames.SubscriptionPurge);
    expect(services.teardown.args).to.eql([[{meetingId: 7, sessionId: 's7'}]]);
    expect(services.purge.args).to.eql([[{archiveId: 'a1'}]]);
    expect(services.checkLimits.args).to.eql([[{meetingId: 7, limit: 'max_duration'}]]);
    expect(services.reconcileRecentMeetings.callCount).to.equal(1);
    expect(services.pruneOldCallbacks.callCount).to.equal(1);
    expect(services.pruneOldEvents.callCount).to.equal(1);
    expect(services.purgeSubscriptions.callCount).to.equal(1);
  });

  it('lets a failing service fail the job, so the queue retries it', async () => {
    services.teardown.rejects(new Error('provider down'));
    await app.start();
    await expect(queue.run(JobNames.MeetingTeardown, {meetingId: 7, sessionId: 's7'})).to.be.rejectedWith('provider down');
  });

  it('runs a job added with one binding, without touching the component or the observer', async () => {
    const ran: object[] = [];
    @injectable(asJobHandler)
    class AuditExportHandler implements JobHandler {
      readonly queue = 'audit-export';
      readonly schedule = '0 5 * * *';
      readonly retryPolicy: RetryPolicy = {retryLimit: 1, retryDelaySeconds: 60, retryBackoff: false, expireInSeconds: 120};
      async handle(data: object): Promise<void> {
        ran.push(data);
      }
    }
    app.add(createBindingFromClass(AuditExportHandler, {key: JobBindings.handler('AuditExportHandler')}));
    await app.start();
    await queue.run('audit-export', {day: '2025-01-01'});
    expect(policyOf('audit-export')).to.eql({retryLimit: 1, retryDelaySeconds: 60, retryBackoff: false, expireInSeconds: 120});
    expect(queue.calls).to.containDeep([['schedule', 'audit-export', '0 5 * * *']]);
    expect(ran).to.eql([{day: '2025-01-01'}]);
  });
});

/** pg-boss waits delay·2ⁿ to twice that before retry n (from 0) with backoff, delay without: the lower bound. */
function shortestRetrySpanSeconds(policy: RetryPolicy): number {
  let total = 0;
  for (let n = 0; n < policy.retryLimit; n++) total += policy.retryBackoff ? policy.retryDelaySeconds * 2 ** n : policy.retryDelaySeconds;
  return total;
}
