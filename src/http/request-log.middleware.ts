import {randomUUID} from 'node:crypto';
import {Middleware, Request, Response} from '@loopback/rest';
import type {Logger} from '../logging/logger';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * One JSON line per request (method, path, status, duration, request id).
 * The query string is left out: it may carry tokens.
 */
export function requestLogMiddleware(logger: Logger): Middleware {
  return async (context, next) => {
    logRequest(logger, context.request, context.response);
    return next();
  };
}

/** Tags the response with its request id and logs the request once it is answered (also used by the fast lane). */
export function logRequest(logger: Logger, request: Request, response: Response): void {
  const startedAt = process.hrtime.bigint();
  const incoming = request.headers['x-request-id'];
  const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  response.setHeader('X-Request-Id', requestId);
  response.once('finish', () => {
    const durationMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
    logger.info('request', {
      requestId,
      method: request.method,
      path: request.path,
      status: response.statusCode,
      durationMs: Math.round(durationMs * 100) / 100,
    });
  });
}
