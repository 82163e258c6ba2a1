import {authenticate} from '@loopback/authentication';
import {authorize} from '@loopback/authorization';
import {inject, service} from '@loopback/core';
import {get, param, Response, RestBindings} from '@loopback/rest';
import {SecurityBindings, UserProfile} from '@loopback/security';
import {toCaller} from '../auth/caller';
import {Permission} from '../auth/permissions';
import type {LoggedEvent} from '../repositories/event-log.repository';
import {EventLogService, EventQuery} from '../services/events/event-log.service';
import {toPage} from './pagination';
import {COUNT_SCHEMA, EVENT_SCHEMA} from './specs/event.specs';
import {jsonContent} from './specs/meeting.specs';

/** Event types: repeat the parameter or separate them with commas. */
const TYPE = param.array('type', 'query', {type: 'string'});
const MEETING = param.query.string('meetingLinkId');
const SINCE = param.query.string('since', {description: 'ISO-8601 date-time or epoch milliseconds; inclusive'});
const UNTIL = param.query.string('until', {description: 'ISO-8601 date-time or epoch milliseconds; inclusive'});

/** The caller's tenant's meeting events (the outbox), newest first. */
@authenticate('bearer')
export class EventController {
  constructor(
    @service(EventLogService) private readonly events: EventLogService,
    @inject(SecurityBindings.USER) private readonly user: UserProfile,
  ) {}

  @authorize({scopes: [Permission.ViewMeetingEvents]})
  @get('/events', {
    responses: {
      '200': {
        description: 'Events newest first; the total is in X-Total-Count',
        headers: {'X-Total-Count': {schema: {type: 'integer'}}},
        ...jsonContent({type: 'array', items: EVENT_SCHEMA}),
      },
    },
  })
  async list(
    @TYPE types: string[] | undefined,
    @MEETING meetingLinkId: string | undefined,
    @SINCE since: string | undefined,
    @UNTIL until: string | undefined,
    @param.query.integer('limit', {description: 'Default 50, at most 1000'}) limit: number | undefined,
    @param.query.integer('offset') offset: number | undefined,
    @inject(RestBindings.Http.RESPONSE) response: Response,
  ): Promise<LoggedEvent[]> {
    const query: EventQuery = {types, meetingLinkId, since, until};
    const result = await this.events.list(query, toPage(limit, offset, {limit: 50, maxLimit: 1000}), toCaller(this.user));
    response.setHeader('X-Total-Count', String(result.count));
    return result.items;
  }

  @authorize({scopes: [Permission.ViewMeetingEvents]})
  @get('/events/count', {responses: {'200': {description: 'How many events match the filters', ...jsonContent(COUNT_SCHEMA)}}})
  async count(
    @TYPE types: string[] | undefined,
    @MEETING meetingLinkId: string | undefined,
    @SINCE since: string | undefined,
    @UNTIL until: string | undefined,
  ): Promise<{count: number}> {
    return this.events.count({types, meetingLinkId, since, until}, toCaller(this.user));
  }

  @authorize({scopes: [Permission.ViewMeetingEvents]})
  @get('/events/{id}', {responses: {'200': {description: 'One event', ...jsonContent(EVENT_SCHEMA)}}})
  async findOne(@param.path.string('id') id: string): Promise<LoggedEvent> {
    return this.events.get(id, toCaller(this.user));
  }
}
