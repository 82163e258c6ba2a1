import {ARCHIVE_STATUSES, ArchiveStatus, ProviderArchive, ProviderConnection, ProviderStorageTarget} from '../types';

/** The only place that knows Vonage's REST shapes (provider-facts §A3, §A6, §A7). */

export interface VonageArchive {
  id: string;
  sessionId: string;
  name?: string | null;
  status: string;
  outputMode?: string;
  createdAt: number;
  duration?: number;
  size?: number;
  url?: string | null;
  reason?: string | null;
}

export interface VonageConnection {
  connectionId: string;
  connectionState?: string;
  createdAt?: number;
}

export function toProviderArchive(raw: VonageArchive): ProviderArchive {
  const status = ARCHIVE_STATUSES.includes(raw.status as ArchiveStatus) ? (raw.status as ArchiveStatus) : 'failed';
  return {
    id: raw.id,
    sessionId: raw.sessionId,
    name: raw.name ? raw.name : null,
    status,
    outputMode: raw.outputMode === 'individual' ? 'individual' : 'composed',
    createdAt: new Date(raw.createdAt),
    durationSeconds: nonNegative(raw.duration),
    sizeBytes: nonNegative(raw.size),
    url: raw.url ? raw.url : null,
    reason: raw.reason ? raw.reason : null,
  };
}

export function toProviderConnection(raw: VonageConnection): ProviderConnection {
  const state = (raw.connectionState ?? 'CONNECTED').toLowerCase();
  return {
    connectionId: raw.connectionId,
    state: state === 'connecting' || state === 'disconnected' ? state : 'connected',
  };
}

/** Body of the OpenTok-compatible `PUT /v2/project/{apiKey}/archive/storage`. */
export function toOpenTokStorageBody(target: ProviderStorageTarget): Record<string, unknown> {
  const fallback = target.fallback === 'provider' ? 'opentok' : 'none';
  if (target.type === 's3') {
    const config: Record<string, string> = {accessKey: target.accessKey, secretKey: target.secretKey, bucket: target.bucket};
    if (target.endpoint) config.endpoint = target.endpoint;
    return {type: 's3', config, fallback};
  }
  const config: Record<string, string> = {accountName: target.accountName, accountKey: target.accountKey, container: target.container};
  const domain = target.domain ? azureDomain(target.domain, target.accountName) : undefined;
  if (domain) config.domain = domain;
  return {type: 'azure', config, fallback};
}

/**
 * An endpoint URL as Vonage's `domain`: `host[:port]` for a loopback emulator,
 * otherwise the host without the leading account name (e.g. `blob.core.windows.net`).
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
  return url.hostname.startsWith(prefix) ? url.hostname.slice(prefix.length) : url.hostname;
}

function nonNegative(value: number | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}
