import {authenticate} from '@loopback/authentication';
import {authorize} from '@loopback/authorization';
import {inject, service} from '@loopback/core';
import {get, param, Response, RestBindings} from '@loopback/rest';
import {Permission} from '../auth/permissions';
import {AttendeeRow} from '../repositories/attendee.repository';
import {AttendeeService} from '../services/attendee.service';
import {toOptionalBoolean, toPage} from './pagination';
import {ATTENDEE_SCHEMA, jsonContent} from './specs/meeting.specs';

@authenticate('bearer')
export class AttendeeController {
  constructor(
    @service(AttendeeService) private readonly attendees: AttendeeService,
    @inject(RestBindings.Http.RESPONSE) private readonly response: Response,
  ) {}

  @authorize({scopes: [Permission.GetMeetingAttendees]})
  @get('/session/{meetingLinkId}/attendees', {
    responses: {
      '200': {
        description: 'Attendees ordered by joinedAt; the total is in X-Total-Count',
        headers: {'X-Total-Count': {schema: {type: 'integer'}}},
        ...jsonContent({type: 'array', items: ATTENDEE_SCHEMA}),
      },
    },
  })
  async list(
    @param.path.string('meetingLinkId') meetingLinkId: string,
    @param.query.string('active', {description: 'true: present now; false: left; absent: all'}) active?: string,
    @param.query.integer('limit', {description: 'Default 100, at most 1000'}) limit?: number,
    @param.query.integer('offset') offset?: number,
  ): Promise<AttendeeRow[]> {
    const page = toPage(limit, offset, {limit: 100, maxLimit: 1000});
    const result = await this.attendees.list(meetingLinkId, {active: toOptionalBoolean('active', active), ...page});
    this.response.setHeader('X-Total-Count', String(result.total));
    return result.items;
  }
}
