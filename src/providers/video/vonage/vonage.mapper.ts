import {ARCHIVE_STATUSES, ArchiveStatus, ProviderArchive, ProviderStorageTarget} from '../types';
import {VideoProviderError} from '../video-provider.error';

/** The only place that knows Vonage's REST shapes (provider-facts §A3, §A4, §A6, §A7). */

/** An archive as Vonage's REST API returns it (fields we read). */
export interface VonageArchive {
  id: string;
  sessionId: string;
  name?: string | null;
  status: string;
  outputMode?: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** Seconds. */
  duration?: number;
  /** Bytes. */
  size?: number;
  url?: string | null;
  reason?: string | null;
}

/** One item of `GET /v2/project/{appId}/session/{sessionId}/connection`. */
export interface VonageConnection {
  connectionId: string;
  /** CONNECTING | CONNECTED | DISCONNECTED */
  connectionState?: string;
  createdAt?: number;
}

/** An archive as read from Vonage; the provider adds where it lies in the storage target. */
export type VonageMappedArchive = Omit<ProviderArchive, 'objectKey'>;

/** `GET .../archive`: Vonage counts every match and pages by offset. */
export interface VonageArchivePage {
  count: number;
  items: VonageMappedArchive[];
}

/** A connection of a Vonage session and its state. */
export interface VonageConnectionState {
  connectionId: string;
  state: 'connecting' | 'connected' | 'disconnected';
}

/** Body of the OpenTok-compatible `PUT /v2/project/{apiKey}/archive/storage`. */
export type OpenTokStorageBody =
  | {type: 's3'; config: {accessKey: string; secretKey: string; bucket: string; endpoint?: string}; fallback: 'none' | 'opentok'}
  | {type: 'azure'; config: {accountName: string; accountKey: string; container: string; domain?: string}; fallback: 'none' | 'opentok'};

/** `POST /session/create` answers an array: `[{session_id, project_id, create_dt, media_server_url}]`. */
export function sessionIdFromCreateReply(data: unknown): string {
  const first: unknown = Array.isArray(data) ? data[0] : undefined;
  const sessionId = isRecord(first) ? first.session_id : undefined;
  if (typeof sessionId !== 'string' || sessionId === '') throw malformedReply('session create', 'the reply held no session_id');
  return sessionId;
}

export function toProviderArchive(raw: VonageArchive): VonageMappedArchive {
  if (!isRecord(raw) || typeof raw.id !== 'string' || typeof raw.sessionId !== 'string')
    throw malformedReply('archive', 'an archive lacks its id or sessionId');
  if (typeof raw.createdAt !== 'number' || !Number.isFinite(raw.createdAt)) throw malformedReply('archive', 'an archive createdAt is not a timestamp');
  const known = ARCHIVE_STATUSES.includes(raw.status as ArchiveStatus);
  return {
    id: raw.id,
    sessionId: raw.sessionId,
    name: raw.name ? raw.name : null,
    // A status Vonage adds later must not pass as one we act on; `failed` with a reason
    // keeps the archive visible without claiming a download exists.
    status: known ? (raw.status as ArchiveStatus) : 'failed',
    outputMode: raw.outputMode === 'individual' ? 'individual' : 'composed',
    createdAt: new Date(raw.createdAt),
    durationSeconds: nonNegative(raw.duration),
    sizeBytes: nonNegative(raw.size),
    url: raw.url ? raw.url : null,
    reason: raw.reason ? raw.reason : known ? null : `unrecognised Vonage archive status "${String(raw.status)}"`,
  };
}

/** `GET .../archive` answers `{count, items}`. */
export function toArchivePage(raw: unknown): VonageArchivePage {
  if (!isRecord(raw) || !Array.isArray(raw.items)) throw malformedReply('archive list', 'the reply held no items');
  const items = (raw.items as VonageArchive[]).map(toProviderArchive);
  return {count: typeof raw.count === 'number' ? raw.count : items.length, items};
}

/** `GET .../connection` answers `{count, items}`; states are upper case. */
export function toProviderConnections(raw: unknown): VonageConnectionState[] {
  const items: unknown = isRecord(raw) ? raw.items : undefined;
  if (!Array.isArray(items)) throw malformedReply('connection list', 'the reply held no items');
  return (items as VonageConnection[]).map(toProviderConnection);
}

export function toProviderConnection(raw: VonageConnection): VonageConnectionState {
  if (!isRecord(raw) || typeof raw.connectionId !== 'string') throw malformedReply('connection list', 'a connection lacks its connectionId');
  const state = (raw.connectionState ?? 'CONNECTED').toLowerCase();
  return {
    connectionId: raw.connectionId,
    state: state === 'connecting' || state === 'disconnected' ? state : 'connected',
  };
}

/** Neutral target → OpenTok body; our `provider` fallback is Vonage's `opentok` (keep a cloud copy). */
export function toOpenTokStorageBody(target: ProviderStorageTarget): OpenTokStorageBody {
  const fallback = target.fallback === 'provider' ? 'opentok' : 'none';
  if (target.type === 's3') {
    const config: {accessKey: string; secretKey: string; bucket: string; endpoint?: string} = {
      accessKey: target.accessKey,
      secretKey: target.secretKey,
      bucket: target.bucket,
    };
    if (target.endpoint) config.endpoint = target.endpoint;
    return {type: 's3', config, fallback};
  }
  const config: {accountName: string; accountKey: string; container: string; domain?: string} = {
    accountName: target.accountName,
    accountKey: target.accountKey,
    container: target.container,
  };
  const domain = target.domain ? azureDomain(target.domain, target.accountName) : undefined;
  if (domain) config.domain = domain;
  return {type: 'azure', config, fallback};
}

/**
 * Our Azure endpoint URL as Vonage's `domain`: `host[:port]` for a loopback
 * emulator (Azurite puts the account in the path), otherwise the host without
 * the leading account name (e.g. `blob.core.windows.net`). A bare domain passes through.
 */
function azureDomain(endpoint: string, accountName: string): string | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return endpoint;
  }
  if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') return url.host;
  const prefix = `${accountName}.`;
  return url.host.startsWith(prefix) ? url.host.slice(prefix.length) : url.host;
}

function malformedReply(operation: string, detail: string): VideoProviderError {
  return new VideoProviderError({provider: 'vonage', code: 'PROVIDER_UNAVAILABLE', message: `vonage ${operation} failed: ${detail}`});
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonNegative(value: number | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}
