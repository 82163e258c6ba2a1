import {HttpErrors, Middleware, Response} from '@loopback/rest';
import {ERROR_CODE_STATUS, GENERIC_MESSAGES, RETRY_AFTER_SECONDS} from '../errors/error-codes';
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

/**
 * The error to answer with; a 401 also tells the client which scheme to use, a 503 when to come
 * back (also used by the fast lane).
 */
export function mapErrorForResponse(error: unknown, response: Response, logger: Logger): unknown {
  const mapped = toHttpError(error, logger);
  if ((mapped as {statusCode?: number}).statusCode === 401) response.setHeader('WWW-Authenticate', 'Bearer');
  const retryAfter = RETRY_AFTER_SECONDS[(mapped as {code?: string}).code ?? ''];
  if (retryAfter !== undefined) response.setHeader('Retry-After', String(retryAfter));
  return mapped;
}

export function toHttpError(error: unknown, logger: Logger): unknown {
  if (!(error instanceof Error)) return error;
  if ('statusCode' in error && typeof (error as {statusCode: unknown}).statusCode === 'number') return error;
  const database = databaseFailure(error);
  if (database) {
    logger.error(database === 'DATABASE_BUSY' ? 'database busy' : 'database unavailable', {error: describeError(error)});
    const message = database === 'DATABASE_BUSY' ? 'The database is busy, try again shortly' : 'The database is unavailable, try again shortly';
    return exposed(Object.assign(new HttpErrors.ServiceUnavailable(message), {code: database}));
  }
  const code = (error as {code?: unknown}).code;
  if (typeof code !== 'string') return error;
  const status = ERROR_CODE_STATUS[code];
  if (status === undefined) return error;
  if (status >= 500) logger.warn('dependency failure', {error: describeError(error)});
  if (GENERIC_MESSAGES[code]) logger.info('request not authenticated', {reason: error.message});
  const mapped = HttpErrors(status, GENERIC_MESSAGES[code] ?? error.message);
  (mapped as {code?: string}).code = code;
  return exposed(mapped);
}

/** pg-pool's error when no connection frees up within `connectionTimeoutMillis` (it carries no code). */
const POOL_WAIT_EXCEEDED = 'timeout exceeded when trying to connect';

/**
 * Database failures that mean "try later": busy (the pool wait or the statement timeout ran out, a lock
 * was not granted) or unavailable (SQLSTATE connection classes, the server refusing connections).
 */
function databaseFailure(error: Error): 'DATABASE_BUSY' | 'DATABASE_UNAVAILABLE' | undefined {
  if (error.message === POOL_WAIT_EXCEEDED) return 'DATABASE_BUSY';
  const code = (error as {code?: unknown}).code;
  if (typeof code !== 'string') return undefined;
  if (code === '57014' || code === '55P03') return 'DATABASE_BUSY';
  if (/^(08|57P0|53)/.test(code) || code === 'ECONNREFUSED' || code === 'ETIMEDOUT') return 'DATABASE_UNAVAILABLE';
  return undefined;
}

/** Our messages are written for the client: show them for 5xx too (LoopBack hides 5xx messages by default). */
function exposed<T extends Error>(error: T): T {
  (error as {expose?: boolean}).expose = true;
  return error;
}
