import {VideoProviderError} from '../video-provider.error';
import type {ZoomRestAuth} from './zoom-rest-auth';

/** A Zoom REST answer of any status; `body` is the parsed JSON, or null. */
export interface ZoomReply {
  status: number;
  body: unknown;
}

export interface ZoomCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path under the API base, ids already encoded (zoomPathSegment). */
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
}

/**
 * The Video SDK REST API over global fetch: bearer API JWT, a timeout per call, and every transport
 * failure turned into VideoProviderError (no URL query, token or secret in it). HTTP errors are
 * returned, so callers can read Zoom's `{code, message}` first; `expectOk` maps them.
 */
export class ZoomRestClient {
  constructor(
    private readonly apiHost: string,
    private readonly auth: ZoomRestAuth,
    private readonly timeoutMs: number,
  ) {}

  async send(operation: string, call: ZoomCall): Promise<ZoomReply> {
    const url = new URL(`${this.apiHost}${call.path}`);
    for (const [name, value] of Object.entries(call.query ?? {})) if (value !== undefined) url.searchParams.set(name, value);
    const headers: Record<string, string> = {Authorization: this.auth.bearerHeader(), Accept: 'application/json'};
    if (call.body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: call.method,
        headers,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw VideoProviderError.fromStatus('zoom', undefined, operation, new Error(`${(error as Error).name}: ${(error as Error).message}`));
    }
    return {status: response.status, body: parseJson(text)};
  }

  /** The reply of a call that must succeed; anything else becomes VideoProviderError by status. */
  async call(operation: string, call: ZoomCall): Promise<unknown> {
    return expectOk(operation, await this.send(operation, call));
  }
}

export function expectOk(operation: string, reply: ZoomReply): unknown {
  if (reply.status >= 200 && reply.status < 300) return reply.body;
  throw VideoProviderError.fromStatus('zoom', reply.status, operation, new Error(`Zoom answered ${reply.status}: ${zoomMessage(reply.body)}`));
}

/** Zoom's error body `{code, message}`, as text for causes (never holds our secrets). */
export function zoomMessage(body: unknown): string {
  const record = isRecord(body) ? body : {};
  return `${typeof record.code === 'number' ? `code ${record.code}, ` : ''}${typeof record.message === 'string' ? record.message : 'no message'}`;
}

export function zoomErrorCode(body: unknown): number | null {
  return isRecord(body) && typeof body.code === 'number' ? body.code : null;
}

/** A 2xx that is not the JSON Zoom documents is Zoom's fault, as Vonage's adapter reads it. */
export function malformedReply(operation: string, detail: string): VideoProviderError {
  return new VideoProviderError({provider: 'zoom', code: 'PROVIDER_UNAVAILABLE', message: `zoom ${operation} failed: ${detail}`});
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
