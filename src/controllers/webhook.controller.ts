import {BindingScope, inject, injectable, service} from '@loopback/core';
import {post, Request, requestBody, RequestBodyObject, Response, RestBindings} from '@loopback/rest';
import {fastLane} from '../http/fast-lane/fast-lane.decorator';
import {LoggingBindings, WebhookBindings} from '../keys';
import type {Logger} from '../logging/logger';
import {mapVonageCallback} from '../providers/video/vonage/vonage-callback.mapper';
import {VideoEventService} from '../services/video-event.service';
import {CallbackVerifier} from '../webhooks/callback-verifier';
import {WebhookVerificationError} from '../webhooks/webhook-verification.error';

/**
 * The exact bytes are needed to check payload_hash, so LoopBack must not parse the
 * body; no schema either, since the body is validated only after its signature is.
 */
const RAW_BODY: RequestBodyObject = {
  required: true,
  // The Authorization header is read from the request, not declared as a parameter: the verifier is
  // its only judge, and LoopBack's per-parameter validation would cost time on every callback.
  description: 'Vonage session-monitoring or archive callback (JSON), signed in the Authorization header (HS256 JWT)',
  // An explicit schema: left out, LoopBack would describe the parameter's type (a `Buffer` component) instead.
  content: {'application/json': {'x-parser': 'raw', schema: {type: 'object'}}},
};

/** Vonage callbacks; authenticated by their signature, not by a bearer token. A singleton: it is on the hot path. */
@injectable({scope: BindingScope.SINGLETON})
export class WebhookController {
  constructor(
    @service(VideoEventService) private readonly events: VideoEventService,
    @inject(WebhookBindings.CALLBACK_VERIFIER) private readonly verifier: CallbackVerifier,
    @inject(LoggingBindings.LOGGER) private readonly logger: Logger,
  ) {}

  @fastLane()
  @post('/webhooks/session', {responses: {'204': {description: 'Accepted (also for duplicates and unknown sessions)'}}})
  async session(
    @requestBody(RAW_BODY) body: Buffer,
    @inject(RestBindings.Http.REQUEST) request: Request,
    @inject(RestBindings.Http.RESPONSE) response: Response,
  ): Promise<void> {
    await this.receive(body, request.headers.authorization, response);
  }

  @fastLane()
  @post('/webhooks/archive', {responses: {'204': {description: 'Accepted'}}})
  async archive(
    @requestBody(RAW_BODY) body: Buffer,
    @inject(RestBindings.Http.REQUEST) request: Request,
    @inject(RestBindings.Http.RESPONSE) response: Response,
  ): Promise<void> {
    await this.receive(body, request.headers.authorization, response);
  }

  private async receive(body: Buffer, authorization: string | undefined, response: Response): Promise<void> {
    const raw = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body ?? ''));
    try {
      this.verifier.verify(raw, authorization);
    } catch (error) {
      if (error instanceof WebhookVerificationError) this.logger.warn('callback rejected', {reason: error.reason});
      throw error;
    }
    const received = mapVonageCallback(raw);
    const outcome = await this.events.handle(received);
    this.logger.debug('callback handled', {event: received.event.type, outcome});
    response.status(204);
  }
}
