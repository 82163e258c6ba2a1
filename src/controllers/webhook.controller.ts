import {BindingScope, inject, injectable, service} from '@loopback/core';
import {param, post, Request, requestBody, RequestBodyObject, Response, RestBindings} from '@loopback/rest';
import {fastLane} from '../http/fast-lane/fast-lane.decorator';
import {ProviderCallbackService} from '../services/presence/provider-callback.service';

/**
 * The exact bytes are needed to verify signatures, so LoopBack must not parse the body;
 * no schema either, since the body is validated only after its signature is.
 */
const RAW_BODY: RequestBodyObject = {
  required: true,
  // Headers are read from the request, not declared as parameters: the provider's verifier is
  // their only judge, and LoopBack's per-parameter validation would cost time on every callback.
  description: "A provider's callback (JSON), signed as that provider signs (e.g. Vonage: HS256 JWT in Authorization)",
  // An explicit schema: left out, LoopBack would describe the parameter's type (a `Buffer` component) instead.
  content: {'application/json': {'x-parser': 'raw', schema: {type: 'object'}}},
};

const RESPONSES = {
  '200': {description: 'An endpoint-validation challenge answered as the provider asks', content: {'application/json': {schema: {type: 'object'}}}},
  '204': {description: 'Accepted (also for duplicates and unknown sessions)'},
  '404': {description: 'No provider configured under that name'},
};

/**
 * Every provider's callbacks: `POST /webhooks/{provider}[/{kind}]` (and the paths a provider owned
 * in the original API, e.g. `/webhooks/session`). Authenticated by their signature, not by a bearer
 * token. A singleton: it is on the hot path.
 */
@injectable({scope: BindingScope.SINGLETON})
export class WebhookController {
  constructor(@service(ProviderCallbackService) private readonly callbacks: ProviderCallbackService) {}

  @fastLane()
  @post('/webhooks/{provider}', {responses: RESPONSES})
  async receive(
    @param.path.string('provider') provider: string,
    @requestBody(RAW_BODY) body: Buffer,
    @inject(RestBindings.Http.REQUEST) request: Request,
    @inject(RestBindings.Http.RESPONSE) response: Response,
  ): Promise<object | undefined> {
    return this.handle(provider, undefined, body, request, response);
  }

  @fastLane()
  @post('/webhooks/{provider}/{kind}', {responses: RESPONSES})
  async receiveKind(
    @param.path.string('provider') provider: string,
    @param.path.string('kind') kind: string,
    @requestBody(RAW_BODY) body: Buffer,
    @inject(RestBindings.Http.REQUEST) request: Request,
    @inject(RestBindings.Http.RESPONSE) response: Response,
  ): Promise<object | undefined> {
    return this.handle(provider, kind, body, request, response);
  }

  private async handle(path: string, kind: string | undefined, body: Buffer, request: Request, response: Response): Promise<object | undefined> {
    const rawBody = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body ?? ''));
    const reply = await this.callbacks.receive(path, kind, {rawBody, headers: request.headers});
    response.status(reply.status);
    return reply.status === 200 ? reply.body : undefined;
  }
}
