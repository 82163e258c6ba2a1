import {createStubInstance, expect, sinon, StubbedInstanceWithSinonAccessor} from '@loopback/testlab';
import type {ServiceConfig} from '../../../config/service-config';
import type {JobQueue} from '../../../jobs/job-queue';
import {createLogger} from '../../../logging/logger';
import type {VideoProvider} from '../../../providers/video/types';
import {VideoProviderError} from '../../../providers/video/video-provider.error';
import {ArchiveRepository} from '../../../repositories/archive.repository';
import {AttendeeRepository} from '../../../repositories/attendee.repository';
import {AuditLogRepository} from '../../../repositories/audit-log.repository';
import {MeetingRepository} from '../../../repositories/meeting.repository';
import {MeetingEndService} from '../../../services/meeting-end.service';

describe('MeetingEndService.teardown (unit)', () => {
  let attendees: StubbedInstanceWithSinonAccessor<AttendeeRepository>;
  let archives: StubbedInstanceWithSinonAccessor<ArchiveRepository>;
  let provider: VideoProvider & {disconnect: sinon.SinonStub; stopArchive: sinon.SinonStub};
  let service: MeetingEndService;

  beforeEach(() => {
    attendees = createStubInstance(AttendeeRepository);
    archives = createStubInstance(ArchiveRepository);
    attendees.stubs.liveConnectionIds.resolves(['c1', 'c2']);
    archives.stubs.recordingArchiveIds.resolves(['a1']);
    provider = {
      name: 'stub',
      applicationId: 'app',
      createSession: sinon.stub(),
      generateClientToken: sinon.stub(),
      listConnections: sinon.stub().resolves([
        {connectionId: 'c2', state: 'connected'},
        {connectionId: 'c3', state: 'connecting'},
        {connectionId: 'c4', state: 'disconnected'},
      ]),
      disconnect: sinon.stub().resolves(),
      listArchives: sinon.stub().resolves({count: 2, items: [{id: 'a2', status: 'paused'}, {id: 'a3', status: 'available'}]}),
      getArchive: sinon.stub(),
      stopArchive: sinon.stub().resolves(),
      deleteArchive: sinon.stub(),
      applyStorageTarget: sinon.stub(),
    };
    const queue = {} as JobQueue;
    service = new MeetingEndService(
      createStubInstance(MeetingRepository),
      attendees,
      archives,
      createStubInstance(AuditLogRepository),
      provider,
      queue,
      {now: () => new Date()},
      createLogger('silent'),
      {teardownSafetyNetSeconds: 30} as ServiceConfig,
    );
  });

  it('disconnects the union of our live connections and the provider\'s, and stops every recording archive', async () => {
    await service.teardown({meetingId: 1, sessionId: 's'});
    expect(provider.disconnect.args.map(a => a[1]).sort()).to.eql(['c1', 'c2', 'c3']);
    expect(provider.stopArchive.args.map(a => a[0]).sort()).to.eql(['a1', 'a2']);
  });

  it('still tries every call when one fails, then throws so the job retries', async () => {
    provider.disconnect.withArgs('s', 'c1').rejects(VideoProviderError.fromStatus('vonage', 503, 'disconnect'));
    await expect(service.teardown({meetingId: 1, sessionId: 's'})).to.be.rejectedWith(VideoProviderError);
    expect(provider.disconnect.callCount).to.equal(3);
    expect(provider.stopArchive.callCount).to.equal(2);
  });
});
