import {ValidationError} from '../../errors/domain-errors';
import type {MetadataPolicy, SubscriptionChanges, SubscriptionStatus} from '../../repositories/webhook-subscription.repository';
import {signingKeyProblem} from '../../signing/standard-webhook.signer';
import {parseTimeInput} from '../meetings/time-input';
import {ALL_EVENTS, EVENT_TYPES} from './event-types';

export const SIGNING_ALGOS = ['HMAC_SHA256'] as const;
export const METADATA_POLICIES: readonly MetadataPolicy[] = ['NONE', 'HEADER', 'BODY'];
export const SUBSCRIPTION_STATUSES: readonly SubscriptionStatus[] = ['ACTIVE', 'PAUSED'];
const URL_MAX_CHARS = 2048;
const DESCRIPTION_MAX_CHARS = 500;

/** A validated `POST /webhook-subscriptions` body; the URL's reachability is checked by the service. */
export interface CreateSubscriptionInput {
  url: URL;
  events: string[];
  signingAlgo: string;
  signingKey?: string;
  metadataPolicy: MetadataPolicy;
  expireAt?: Date;
  description: string | null;
}

export function parseCreateInput(body: unknown, isProduction: boolean): CreateSubscriptionInput {
  const input = asObject(body, ['url', 'events', 'signingAlgo', 'signingKey', 'metadataPolicy', 'expireAt', 'description']);
  if (input.url === undefined) throw new ValidationError('url is required');
  if (input.events === undefined) throw new ValidationError('events is required: a non-empty list of event types, or "*"');
  if (input.signingAlgo !== undefined && !SIGNING_ALGOS.includes(input.signingAlgo as 'HMAC_SHA256')) {
    throw new ValidationError(`signingAlgo must be one of ${SIGNING_ALGOS.join(', ')}`);
  }
  return {
    url: parseUrl(input.url, isProduction),
    events: parseEvents(input.events),
    signingAlgo: 'HMAC_SHA256',
    signingKey: input.signingKey === undefined ? undefined : parseSigningKey(input.signingKey),
    metadataPolicy: input.metadataPolicy === undefined ? 'NONE' : oneOf('metadataPolicy', input.metadataPolicy, METADATA_POLICIES),
    expireAt: input.expireAt === undefined ? undefined : parseTimeInput('expireAt', input.expireAt),
    description: parseDescription(input.description),
  };
}

/** A validated PATCH body: the URL parsed, the rest as the repository takes it. */
export function parsePatchInput(body: unknown, isProduction: boolean): SubscriptionChanges & {parsedUrl?: URL} {
  const input = asObject(body, ['url', 'events', 'metadataPolicy', 'status', 'description']);
  const changes: SubscriptionChanges & {parsedUrl?: URL} = {};
  if (input.url !== undefined) {
    changes.parsedUrl = parseUrl(input.url, isProduction);
    changes.url = changes.parsedUrl.toString();
  }
  if (input.events !== undefined) changes.events = parseEvents(input.events);
  if (input.metadataPolicy !== undefined) changes.metadataPolicy = oneOf('metadataPolicy', input.metadataPolicy, METADATA_POLICIES);
  if (input.status !== undefined) changes.status = oneOf('status', input.status, SUBSCRIPTION_STATUSES);
  if ('description' in input) changes.description = parseDescription(input.description);
  return changes;
}

/** `PUT …/renew` `{expireAt?}`. */
export function parseRenewInput(body: unknown): Date | undefined {
  const input = asObject(body ?? {}, ['expireAt']);
  return input.expireAt === undefined ? undefined : parseTimeInput('expireAt', input.expireAt);
}

/** `POST …/rotate-key` `{signingKey?}`. */
export function parseRotateInput(body: unknown): string | undefined {
  const input = asObject(body ?? {}, ['signingKey']);
  return input.signingKey === undefined ? undefined : parseSigningKey(input.signingKey);
}

/** `POST …/recover` `{since}`. */
export function parseRecoverInput(body: unknown): Date {
  const input = asObject(body, ['since']);
  if (input.since === undefined) throw new ValidationError('since is required: an ISO-8601 date-time or epoch milliseconds');
  return parseTimeInput('since', input.since);
}

function asObject(body: unknown, allowed: string[]): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ValidationError('The request body must be a JSON object');
  const unknown = Object.keys(body).filter(key => !allowed.includes(key));
  if (unknown.length > 0) throw new ValidationError(`Unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; allowed: ${allowed.join(', ')}`);
  return body as Record<string, unknown>;
}

function parseUrl(value: unknown, isProduction: boolean): URL {
  if (typeof value !== 'string' || value.length === 0 || value.length > URL_MAX_CHARS) {
    throw new ValidationError(`url must be an absolute http(s) URL of at most ${URL_MAX_CHARS} characters`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ValidationError('url must be an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ValidationError('url must use https (or http outside production)');
  if (isProduction && url.protocol !== 'https:') throw new ValidationError('url must use https in production');
  if (url.username || url.password) throw new ValidationError('url must not carry credentials; deliveries are signed instead');
  return url;
}

function parseEvents(value: unknown): string[] {
  if (value === ALL_EVENTS) return [ALL_EVENTS];
  if (!Array.isArray(value) || value.length === 0 || value.some(v => typeof v !== 'string')) {
    throw new ValidationError('events must be a non-empty list of event types, or "*"');
  }
  const unknown = value.filter(v => v !== ALL_EVENTS && !EVENT_TYPES.includes(v));
  if (unknown.length > 0) throw new ValidationError(`events has unknown types ${unknown.join(', ')}; known: ${EVENT_TYPES.join(', ')} or "*"`);
  return value.includes(ALL_EVENTS) ? [ALL_EVENTS] : [...new Set(value as string[])];
}

function parseSigningKey(value: unknown): string {
  if (typeof value !== 'string') throw new ValidationError('signingKey must be a string');
  const problem = signingKeyProblem(value);
  if (problem) throw new ValidationError(problem);
  return value;
}

function parseDescription(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > DESCRIPTION_MAX_CHARS) {
    throw new ValidationError(`description must be a string of at most ${DESCRIPTION_MAX_CHARS} characters`);
  }
  return value;
}

function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) throw new ValidationError(`${field} must be one of ${allowed.join(', ')}`);
  return value as T;
}
