import {createStubInstance, expect, StubbedInstanceWithSinonAccessor} from '@loopback/testlab';
import {DependencyUnavailableError, ValidationError} from '../../../../errors/domain-errors';
import {createLogger} from '../../../../logging/logger';
import {Meeting} from '../../../../models/meeting.model';
import {AuditLogRepository} from '../../../../repositories/audit-log.repository';
import {MeetingRepository} from '../../../../repositories/meeting.repository';
import {MeetingLimitsService} from '../../../../services/meetings/meeting-limits.service';
import {MeetingService} from '../../../../services/meetings/meeting.service';
import {givenProviders, givenStubProvider, givenTransactions, StubProvider} from '../../../helpers/stub-provider';

const NOW = new Date('2026-11-24T09:00:00Z');

describe('MeetingService (unit)', () => {
  let meetings: StubbedInstanceWithSinonAccessor<MeetingRepository>;
  let audit: StubbedInstanceWithSinonAccessor<AuditLogRepository>;
  let provider: StubProvider;
  let service: MeetingService;

  beforeEach(() => {
    meetings = createStubInstance(MeetingRepository);
    audit = createStubInstance(AuditLogRepository);
    provider = givenStubProvider();
    meetings.stubs.insert.callsFake(async data => new Meeting({id: 1, ...(data as Partial<Meeting>)}));
    service = new MeetingService(
      meetings,
      audit,
      givenProviders(provider),
      givenTransactions(),
      {now: () => NOW},
      createLogger('silent'),
      {} as MeetingLimitsService,
    );
  });

  it('creates a routed session, archiving always when asked, and stores the meeting', async () => {
    const meeting = await service.create({enableArchiving: true, extId: 'x'}, {id: 'user-1', tenantId: null});
    expect(provider.createSession.firstCall.args[0]).to.containEql({automaticRecording: true, endToEndEncryption: false});
    expect(meeting).to.containEql({sessionId: 'session-1', extId: 'x', createdBy: 'user-1', enableArchiving: true});
    expect(meeting.meetingLink).to.match(/^[A-Za-z0-9_-]{16}$/);
  });

  it('rejects encryption with archiving before calling the provider', async () => {
    await expect(service.create({endToEndEncryption: true, enableArchiving: true}, {id: 'u', tenantId: null})).to.be.rejectedWith(ValidationError);
    expect(provider.createSession.called).to.be.false();
  });

  it('rejects schedules without a time, with a past time, or a time without isScheduled', async () => {
    await expect(service.create({isScheduled: true}, {id: 'u', tenantId: null})).to.be.rejectedWith(/needs a scheduleTime/);
    await expect(service.create({isScheduled: true, scheduleTime: '2026-11-24T08:00:00Z'}, {id: 'u', tenantId: null})).to.be.rejectedWith(/in the future/);
    await expect(service.create({scheduleTime: '2026-11-25T08:00:00Z'}, {id: 'u', tenantId: null})).to.be.rejectedWith(/isScheduled: true/);
    expect(provider.createSession.called).to.be.false();
  });

  it('takes a new link when the first one collides', async () => {
    const collision = Object.assign(new Error('duplicate'), {code: '23505', constraint: 'video_session_details_meeting_link_key'});
    meetings.stubs.insert.onFirstCall().rejects(collision);
    const meeting = await service.create({}, {id: 'u', tenantId: null});
    expect(meetings.stubs.insert.callCount).to.equal(2);
    expect(meetings.stubs.insert.firstCall.args[0].meetingLink).to.not.equal(meeting.meetingLink);
  });

  it('retries a failing database, then reports it unavailable', async function () {
    this.timeout(5000);
    meetings.stubs.insert.rejects(Object.assign(new Error('connection terminated'), {code: '57P01'}));
    await expect(service.create({}, {id: 'u', tenantId: null})).to.be.rejectedWith(DependencyUnavailableError);
    expect(meetings.stubs.insert.callCount).to.equal(4);
  });
});
