import {BindingScope, injectable} from '@loopback/core';
import {repository} from '@loopback/repository';
import {MeetingNotFoundError} from '../../errors/domain-errors';
import {AttendeePage, AttendeeRepository} from '../../repositories/attendee.repository';

/** Who is (or was) in a meeting, as the provider's callbacks told us. */
@injectable({scope: BindingScope.SINGLETON})
export class AttendeeService {
  constructor(@repository(AttendeeRepository) private readonly attendees: AttendeeRepository) {}

  async list(meetingLink: string, query: {active?: boolean; limit: number; offset: number; tenantId: string | null}): Promise<AttendeePage> {
    const page = await this.attendees.pageOfMeeting({meetingLink, ...query});
    if (page === null) throw new MeetingNotFoundError(meetingLink);
    return page;
  }
}
