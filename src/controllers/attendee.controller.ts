import {authenticate} from '@loopback/authentication';
import {authorize} from '@loopback/authorization';
import {BindingScope, inject, injectable, service} from '@loopback/core';
import {get, param, Response, RestBindings} from '@loopback/rest';
import {SecurityBindings, UserProfile} from '@loopback/security';
import {toCaller} from '../auth/caller';
import {Permission} from '../auth/permissions';
import {fastLane} from '../http/fast-lane/fast-lane.decorator';
import {AttendeeService} from '../services/presence/attendee.service';
import {toOptionalBoolean, toPage} from './pagination';
import {ATTENDEE_SCHEMA, jsonContent} from './specs/meeting.specs';

/** A singleton, so the fast lane can serve it: the caller and the response are injected per call. */
@authenticate('bearer')
@injectable({scope: BindingScope.SINGLETON})
export class AttendeeController {
  constructor(@service(AttendeeService) private readonly attendees: AttendeeService) {}

  @authorize({scopes: [Permission.GetMeetingAttendees]})
  @fastLane()
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
    @param.query.string('active', {description: 'true: present now; false: left; absent: all'}) active: string | undefined,
    @param.query.integer('limit', {description: 'Default 100, at most 1000'}) limit: number | undefined,
    @param.query.integer('offset') offset: number | undefined,
    @inject(RestBindings.Http.RESPONSE) response: Response,
    @inject(SecurityBindings.USER) user: UserProfile,
  ): Promise<Response> {
    const page = toPage(limit, offset, {limit: 100, maxLimit: 1000});
    const result = await this.attendees.list(meetingLinkId, {active: toOptionalBoolean('active', active), ...page, tenantId: toCaller(user).tenantId});
    response.setHeader('X-Total-Count', String(result.total));
    // The page comes serialised from the database; written as LoopBack writes JSON.
    response.setHeader('Content-Type', 'application/json');
    response.end(result.itemsJson);
    return response;
  }
}
