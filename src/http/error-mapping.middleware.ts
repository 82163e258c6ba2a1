import {HttpErrors, Middleware, Response} from '@loopback/rest';
import {ERROR_CODE_STATUS, GENERIC_MESSAGES} from '../errors/error-codes';
import type {Logger} from '../logging/logger';
import {describeError} from '../logging/logger';

/**
 * The single place where domain, provider and storage errors become HTTP errors.
 * Unknown errors pass through untouched (LoopBack answers 500 and logs them).
 */
export function errorMappingMiddleware(logger: Logger): Middleware {
  return async (context, next) => {
    try {
      return await next();
    } catch (error) {
      throw mapErrorForResponse(error, context.response, logger);
    }
  };
}

/** The error to answer with; a 401 also tells the client which scheme to use (also used by the fast lane). */
export function mapErrorForResponse(error: unknown, response: Response, logger: Logger): unknown {
  const mapped = toHttpError(error, logger);
  if ((mapped as {statusCode?: number}).statusCode === 401) response.setHeader('WWW-Authenticate', 'Bearer');
  return mapped;
}

export function toHttpError(error: unknown, logger: Logger): unknown {
  if (!(error instanceof Error)) return error;
  if ('statusCode' in error && typeof (error as {statusCode: unknown}).statusCode === 'number') return error;
  const code = (error as {code?: unknown}).code;
  if (typeof code !== 'string') return error;
  // Database driver errors carry SQLSTATE codes: connection-class failures mean "try later".
  if (/^(08|57P0|53)/.test(code) || code === 'ECONNREFUSED' || code === 'ETIMEDOUT') {
    logger.error('database unavailable', {error: describeError(error)});
    return exposed(new HttpErrors.ServiceUnavailable('The database is unavailable, try again shortly'));
  }
  const status = ERROR_CODE_STATUS[code];
  if (status === undefined) return error;
  if (status >= 500) logger.warn('dependency failure', {error: describeError(error)});
  if (GENERIC_MESSAGES[code]) logger.info('request not authenticated', {reason: error.message});
  const mapped = HttpErrors(status, GENERIC_MESSAGES[code] ?? error.message);
  (mapped as {code?: string}).code = code;
  return exposed(mapped);
}

/** Our messages are written for the client: show them for 5xx too (LoopBack hides 5xx messages by default). */
function exposed<T extends Error>(error: T): T {
  (error as {expose?: boolean}).expose = true;
  return error;
}
