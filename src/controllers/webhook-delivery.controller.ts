import {authenticate} from '@loopback/authentication';
import {authorize} from '@loopback/authorization';
import {inject, service} from '@loopback/core';
import {get, param, post, requestBody, Response, RestBindings} from '@loopback/rest';
import {SecurityBindings, UserProfile} from '@loopback/security';
import {toCaller} from '../auth/caller';
import {Permission} from '../auth/permissions';
import type {DeliveryLogEntry} from '../repositories/webhook-delivery.repository';
import {DeliveryLogService} from '../services/events/delivery-log.service';
import {toPage} from './pagination';
import {COUNT_SCHEMA, DELIVERY_SCHEMA, RECOVER_SCHEMA} from './specs/event.specs';
import {jsonContent} from './specs/meeting.specs';

const QUEUED = (what: string) => ({'202': {description: `${what}; sent by the delivery workers, not in this request`, ...jsonContent(DELIVERY_SCHEMA)}});

/** A subscription's delivery log, and the sends a user asks for. Each answers before anything is sent. */
@authenticate('bearer')
@authorize({scopes: [Permission.ManageEventSubscriptions]})
export class WebhookDeliveryController {
  constructor(
    @service(DeliveryLogService) private readonly deliveries: DeliveryLogService,
    @inject(SecurityBindings.USER) private readonly user: UserProfile,
    @inject(RestBindings.Http.RESPONSE) private readonly response: Response,
  ) {}

  @get('/webhook-subscriptions/{id}/deliveries', {
    responses: {
      '200': {
        description: 'One entry per event, newest first, with its last attempt; the total is in X-Total-Count',
        headers: {'X-Total-Count': {schema: {type: 'integer'}}},
        ...jsonContent({type: 'array', items: DELIVERY_SCHEMA}),
      },
    },
  })
  async list(
    @param.path.string('id') id: string,
    @param.query.string('outcome', {description: 'pending, succeeded or failed'}) outcome: string | undefined,
    @param.query.integer('limit', {description: 'Default 50, at most 1000'}) limit: number | undefined,
    @param.query.integer('offset') offset: number | undefined,
  ): Promise<DeliveryLogEntry[]> {
    const result = await this.deliveries.list(id, outcome, toPage(limit, offset, {limit: 50, maxLimit: 1000}), toCaller(this.user));
    this.response.setHeader('X-Total-Count', String(result.count));
    return result.items;
  }

  @post('/webhook-subscriptions/{id}/test', {responses: QUEUED('A ping is queued now, whatever the event filter')})
  async test(@param.path.string('id') id: string): Promise<DeliveryLogEntry> {
    const queued = await this.deliveries.test(id, toCaller(this.user));
    this.response.status(202);
    return queued;
  }

  @post('/webhook-subscriptions/{id}/deliveries/{eventId}/redeliver', {responses: QUEUED('Queued again now, as a new round of attempts')})
  async redeliver(@param.path.string('id') id: string, @param.path.string('eventId') eventId: string): Promise<DeliveryLogEntry> {
    const queued = await this.deliveries.redeliver(id, eventId, toCaller(this.user));
    this.response.status(202);
    return queued;
  }

  @post('/webhook-subscriptions/{id}/recover', {
    responses: {'202': {description: 'How many failed deliveries since `since` are queued again', ...jsonContent(COUNT_SCHEMA)}},
  })
  async recover(@param.path.string('id') id: string, @requestBody({required: true, ...jsonContent(RECOVER_SCHEMA)}) body: unknown): Promise<{count: number}> {
    const result = await this.deliveries.recover(id, body, toCaller(this.user));
    this.response.status(202);
    return result;
  }
}
