import {inject} from '@loopback/core';
import {JsonBodyParser, Middleware, Request, RequestBody, RequestBodyParserOptions, RestBindings} from '@loopback/rest';
import {ValidationError} from '../errors/domain-errors';
import {findUnsafeText, unsafeRequestTargetReason} from '../utils/safe-text';

/**
 * Refuses a request target LoopBack's router cannot decode (`/archives/%FF` made it throw a URIError:
 * a 500 with a stack, before authentication) or whose path or query values decode to text the
 * database refuses (`%00`). Runs before routing, on both LoopBack's sequence and the fast lane.
 */
export function assertSafeRequestTarget(url: string | undefined): void {
  const reason = unsafeRequestTargetReason(url ?? '');
  if (reason) throw new ValidationError(reason);
}

/** LoopBack's side of assertSafeRequestTarget; registered before its routing middleware runs. */
export function requestTargetGuardMiddleware(): Middleware {
  return async (context, next) => {
    assertSafeRequestTarget(context.request.originalUrl ?? context.request.url);
    return next();
  };
}

/**
 * LoopBack's JSON body parser, then the text check over every string of the body. Bound in place
 * of the built-in parser, so the fast lane (which parses through LoopBack's parameter parsing)
 * applies the same rule. Raw bodies (signed callbacks) are not parsed here: their signature comes first.
 */
export class SafeTextJsonBodyParser extends JsonBodyParser {
  constructor(@inject(RestBindings.REQUEST_BODY_PARSER_OPTIONS, {optional: true}) options: RequestBodyParserOptions = {}) {
    super(options);
  }

  override async parse(request: Request): Promise<RequestBody> {
    const body = await super.parse(request);
    const problem = findUnsafeText(body.value, 'body');
    if (problem) throw new ValidationError(`The request ${problem}`);
    return body;
  }
}
