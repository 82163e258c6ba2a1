import {createHash} from 'node:crypto';
import {ARCHIVE_STATUSES, ArchiveStatus, ProviderArchive} from '../types';

type Json = Record<string, unknown>;

/** An archive's state as Vonage's callback reports it (the object key is added by the adapter). */
export type VonageArchiveUpdate = Omit<ProviderArchive, 'sessionId' | 'objectKey'>;

/** Vonage's callbacks in its own vocabulary (connections and streams); the adapter turns them into neutral events. */
export type VonageCallbackEvent =
  | {type: 'connection.created'; sessionId: string; connectionId: string; connectionData: string | null; occurredAt: Date}
  | {type: 'connection.destroyed'; sessionId: string; connectionId: string; connectionData: string | null; reason: string | null; occurredAt: Date}
  | {type: 'stream.created'; sessionId: string; streamId: string; connectionId: string; connectionData: string | null; connectedAt: Date; occurredAt: Date}
  | {
      type: 'stream.destroyed';
      sessionId: string;
      streamId: string;
      connectionId: string;
      connectionData: string | null;
      reason: string | null;
      occurredAt: Date;
    }
  | {type: 'session.created'; sessionId: string; occurredAt: Date}
  | {type: 'session.destroyed'; sessionId: string; reason: string | null; occurredAt: Date}
  | {type: 'archive.status'; sessionId: string; archive: VonageArchiveUpdate; occurredAt: Date}
  | {type: 'unsupported'; sessionId: string | null; providerEvent: string};

export interface MappedVonageCallback {
  event: VonageCallbackEvent;
  dedupeKey: string;
  payloadJson: string;
}

/** Thrown when a verified callback is not the JSON object Vonage sends. */
export class CallbackPayloadError extends Error {
  readonly code = 'VALIDATION_FAILED';
}

/** Vonage session-monitoring and archive callbacks → neutral events (provider-facts §A8). */
export function mapVonageCallback(rawBody: Buffer): MappedVonageCallback {
  const payloadJson = rawBody.toString('utf8');
  let payload: unknown;
  try {
    payload = JSON.parse(payloadJson);
  } catch {
    throw new CallbackPayloadError('Callback body is not valid JSON');
  }
  if (!isObject(payload)) throw new CallbackPayloadError('Callback body must be a JSON object');
  const event = toEvent(payload);
  return {event, dedupeKey: dedupeKeyOf(event, payload, rawBody), payloadJson};
}

function toEvent(p: Json): VonageCallbackEvent {
  const name = typeof p.event === 'string' ? p.event : '';
  const sessionId = typeof p.sessionId === 'string' ? p.sessionId : null;
  const occurredAt = toDate(p.timestamp) ?? new Date();
  if (!sessionId) return {type: 'unsupported', sessionId: null, providerEvent: name || 'unknown'};
  switch (name) {
    case 'connectionCreated':
    case 'connectionDestroyed': {
      const connection = isObject(p.connection) ? p.connection : undefined;
      if (!connection || typeof connection.id !== 'string') break;
      const data = typeof connection.data === 'string' ? connection.data : null;
      return name === 'connectionCreated'
        ? {type: 'connection.created', sessionId, connectionId: connection.id, connectionData: data, occurredAt}
        : {type: 'connection.destroyed', sessionId, connectionId: connection.id, connectionData: data, reason: str(p.reason), occurredAt};
    }
    case 'streamCreated':
    case 'streamDestroyed': {
      const stream = isObject(p.stream) ? p.stream : undefined;
      const connection = stream && isObject(stream.connection) ? stream.connection : undefined;
      if (!stream || typeof stream.id !== 'string' || !connection || typeof connection.id !== 'string') break;
      const data = typeof connection.data === 'string' ? connection.data : null;
      if (name === 'streamCreated') {
        const connectedAt = toDate(connection.createdAt) ?? occurredAt;
        return {type: 'stream.created', sessionId, streamId: stream.id, connectionId: connection.id, connectionData: data, connectedAt, occurredAt};
      }
      return {type: 'stream.destroyed', sessionId, streamId: stream.id, connectionId: connection.id, connectionData: data, reason: str(p.reason), occurredAt};
    }
    case 'sessionCreated':
      return {type: 'session.created', sessionId, occurredAt};
    case 'sessionDestroyed':
      return {type: 'session.destroyed', sessionId, reason: str(p.reason), occurredAt};
    case 'archive': {
      const archive = toArchive(p);
      if (archive) return {type: 'archive.status', sessionId, archive, occurredAt: toDate(p.updatedAt) ?? occurredAt};
      break;
    }
  }
  return {type: 'unsupported', sessionId, providerEvent: name || 'unknown'};
}

function toArchive(p: Json): VonageArchiveUpdate | null {
  const status = p.status;
  if (typeof p.id !== 'string' || typeof status !== 'string' || !ARCHIVE_STATUSES.includes(status as ArchiveStatus)) return null;
  return {
    id: p.id,
    status: status as ArchiveStatus,
    name: str(p.name),
    outputMode: p.outputMode === 'individual' ? 'individual' : 'composed',
    createdAt: toDate(p.createdAt) ?? new Date(),
    durationSeconds: toNumber(p.duration),
    sizeBytes: toNumber(p.size),
    url: str(p.url),
    reason: str(p.reason),
  };
}

/**
 * Vonage puts no event id in the body (§A8/§G3): the key names the occurrence
 * (a connection is created once and destroyed once; an archive reaches a status once).
 */
function dedupeKeyOf(event: VonageCallbackEvent, payload: Json, rawBody: Buffer): string {
  // Times as Vonage sent them; a missing one falls back to the body's hash.
  const sentAt = payload.updatedAt ?? payload.timestamp ?? `body:${sha256(rawBody)}`;
  let natural: string;
  switch (event.type) {
    case 'connection.created':
    case 'connection.destroyed':
      natural = `${event.type}|${event.sessionId}|${event.connectionId}`;
      break;
    case 'stream.created':
    case 'stream.destroyed':
      natural = `${event.type}|${event.sessionId}|${event.streamId}`;
      break;
    case 'session.created':
    case 'session.destroyed':
      natural = `${event.type}|${event.sessionId}|${String(sentAt)}`;
      break;
    case 'archive.status':
      natural = `${event.type}|${event.archive.id}|${event.archive.status}|${String(sentAt)}`;
      break;
    default:
      natural = `raw|${sha256(rawBody)}`;
  }
  return sha256(natural);
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function toNumber(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

function toDate(value: unknown): Date | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  return new Date(value);
}
