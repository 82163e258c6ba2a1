import {createStubInstance, expect} from '@loopback/testlab';
import type {ServiceConfig} from '../../../../config/service-config';
import type {JobQueue} from '../../../../jobs/job-queue';
import {createLogger} from '../../../../logging/logger';
import {ArchiveRepository} from '../../../../repositories/archive.repository';
import {AttendeeRepository} from '../../../../repositories/attendee.repository';
import {AuditLogRepository} from '../../../../repositories/audit-log.repository';
import {MeetingRepository} from '../../../../repositories/meeting.repository';
import {MeetingEndService} from '../../../../services/meetings/meeting-end.service';
import {givenProviders, givenStubProvider, givenTransactions} from '../../../helpers/stub-provider';

describe('MeetingEndService.teardown (unit)', () => {
  it("ends the session at the meeting's provider with what our records know", async () => {
    const meetings = createStubInstance(MeetingRepository);
    const attendees = createStubInstance(AttendeeRepository);
    const archives = createStubInstance(ArchiveRepository);
    meetings.stubs.findSessionById.resolves({id: 1, meetingLink: 'l', provider: 'stub', sessionId: 's', sessionName: null});
    attendees.stubs.liveConnectionIds.resolves(['c1', 'c2']);
    archives.stubs.recordingArchiveIds.resolves(['a1']);
    const provider = givenStubProvider();
    const service = new MeetingEndService(
      meetings,
      attendees,
      archives,
      createStubInstance(AuditLogRepository),
      givenProviders(provider),
      givenTransactions(),
      {} as JobQueue,
      {now: () => new Date()},
      createLogger('silent'),
      {teardownSafetyNetSeconds: 30} as ServiceConfig,
    );
    await service.teardown({meetingId: 1, sessionId: 's'});
    expect(provider.endSession.firstCall.args).to.eql([
      {id: 1, meetingLink: 'l', provider: 'stub', sessionId: 's', sessionName: null},
      {participantIds: ['c1', 'c2'], recordingArchiveIds: ['a1']},
    ]);
  });
});
