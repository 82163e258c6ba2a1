import {authenticate} from '@loopback/authentication';
import {authorize} from '@loopback/authorization';
import {inject, service} from '@loopback/core';
import {del, get, param, patch, post, put, requestBody, Response, RestBindings} from '@loopback/rest';
import {SecurityBindings, UserProfile} from '@loopback/security';
import {toCaller} from '../auth/caller';
import {Permission} from '../auth/permissions';
import {SubscriptionService} from '../services/events/subscription.service';
import type {SubscriptionView, SubscriptionWithKey} from '../services/events/subscription-view';
import {toPage} from './pagination';
import {CREATE_SUBSCRIPTION_SCHEMA, PATCH_SUBSCRIPTION_SCHEMA, RENEW_SCHEMA, ROTATE_SCHEMA, SUBSCRIPTION_SCHEMA} from './specs/event.specs';
import {jsonContent} from './specs/meeting.specs';

const ONE = {'200': {description: 'The subscription (never its key)', ...jsonContent(SUBSCRIPTION_SCHEMA)}};

/** Webhook subscriptions of the caller's tenant (Vonage Integration Suite shape). */
@authenticate('bearer')
@authorize({scopes: [Permission.ManageEventSubscriptions]})
export class WebhookSubscriptionController {
  constructor(
    @service(SubscriptionService) private readonly subscriptions: SubscriptionService,
    @inject(SecurityBindings.USER) private readonly user: UserProfile,
  ) {}

  @post('/webhook-subscriptions', {responses: {'201': {description: 'Created; signingKey is shown only here', ...jsonContent(SUBSCRIPTION_SCHEMA)}}})
  async create(
    @requestBody({required: true, ...jsonContent(CREATE_SUBSCRIPTION_SCHEMA)}) body: unknown,
    @inject(RestBindings.Http.RESPONSE) response: Response,
  ): Promise<SubscriptionWithKey> {
    const created = await this.subscriptions.create(body, toCaller(this.user));
    response.status(201);
    return created;
  }

  @get('/webhook-subscriptions', {
    responses: {
      '200': {
        description: 'Newest first; the total is in X-Total-Count',
        headers: {'X-Total-Count': {schema: {type: 'integer'}}},
        ...jsonContent({type: 'array', items: SUBSCRIPTION_SCHEMA}),
      },
    },
  })
  async list(
    @param.query.integer('limit', {description: 'Default 50, at most 1000'}) limit: number | undefined,
    @param.query.integer('offset') offset: number | undefined,
    @inject(RestBindings.Http.RESPONSE) response: Response,
  ): Promise<SubscriptionView[]> {
    const result = await this.subscriptions.list(toCaller(this.user), toPage(limit, offset, {limit: 50, maxLimit: 1000}));
    response.setHeader('X-Total-Count', String(result.count));
    return result.items;
  }

  @get('/webhook-subscriptions/{id}', {responses: ONE})
  async findOne(@param.path.string('id') id: string): Promise<SubscriptionView> {
    return this.subscriptions.get(id, toCaller(this.user));
  }

  @patch('/webhook-subscriptions/{id}', {responses: ONE})
  async update(
    @param.path.string('id') id: string,
    @requestBody({required: true, ...jsonContent(PATCH_SUBSCRIPTION_SCHEMA)}) body: unknown,
  ): Promise<SubscriptionView> {
    return this.subscriptions.update(id, body, toCaller(this.user));
  }

  @del('/webhook-subscriptions/{id}', {responses: {'204': {description: 'Deleted with its delivery log'}}})
  async delete(@param.path.string('id') id: string): Promise<void> {
    await this.subscriptions.delete(id, toCaller(this.user));
  }

  @put('/webhook-subscriptions/{id}/renew', {responses: ONE})
  async renew(@param.path.string('id') id: string, @requestBody({required: false, ...jsonContent(RENEW_SCHEMA)}) body: unknown): Promise<SubscriptionView> {
    return this.subscriptions.renew(id, body, toCaller(this.user));
  }

  @post('/webhook-subscriptions/{id}/rotate-key', {
    responses: {'200': {description: 'The new signingKey, shown only here; the old one keeps signing for 24 h', ...jsonContent(SUBSCRIPTION_SCHEMA)}},
  })
  async rotateKey(
    @param.path.string('id') id: string,
    @requestBody({required: false, ...jsonContent(ROTATE_SCHEMA)}) body: unknown,
  ): Promise<SubscriptionWithKey> {
    return this.subscriptions.rotateKey(id, body, toCaller(this.user));
  }
}
