/**
 * The vendor-neutral contract between the meeting logic and a video platform.
 * Only neutral types cross it: Vonage shapes stay under `vonage/`.
 */

export type ParticipantRole = 'publisher' | 'subscriber' | 'moderator' | 'publisheronly';

export interface CreateSessionOptions {
  /** Record every session automatically (routed media only). */
  archiveAlways: boolean;
  /** Provider-side end-to-end media encryption. */
  endToEndEncryption: boolean;
}

export interface ProviderSession {
  sessionId: string;
}

export interface ClientTokenOptions {
  role: ParticipantRole;
  expiresAt: Date;
  /** Opaque string echoed back by the provider in connection callbacks (≤ 1000 chars). */
  connectionData: string;
}

export interface ProviderConnection {
  connectionId: string;
  state: 'connecting' | 'connected' | 'disconnected';
}

export type ArchiveStatus = 'started' | 'paused' | 'stopped' | 'uploaded' | 'available' | 'expired' | 'failed' | 'deleted';
export const ARCHIVE_STATUSES: readonly ArchiveStatus[] = [
  'started',
  'paused',
  'stopped',
  'uploaded',
  'available',
  'expired',
  'failed',
  'deleted',
];

export interface ProviderArchive {
  id: string;
  sessionId: string;
  name: string | null;
  status: ArchiveStatus;
  outputMode: 'composed' | 'individual';
  createdAt: Date;
  durationSeconds: number;
  sizeBytes: number;
  /** Provider-hosted download URL, short-lived; only when status is `available`. */
  url: string | null;
  reason: string | null;
}

export interface ArchivePage {
  /** Total archives matching the filter at the provider. */
  count: number;
  items: ProviderArchive[];
}

export interface ArchiveSearch {
  sessionId: string;
  offset: number;
  count: number;
}

/** Storage target as the provider receives it (secrets in clear: never log this). */
export type ProviderStorageTarget =
  | {
      type: 's3';
      bucket: string;
      accessKey: string;
      secretKey: string;
      endpoint?: string;
      fallback: 'none' | 'provider';
    }
  | {
      type: 'azure';
      accountName: string;
      accountKey: string;
      container: string;
      domain?: string;
      fallback: 'none' | 'provider';
    };

/** Outcome of asking the provider to upload archives to our storage. */
export type StorageTargetApplyResult =
  | {applied: true}
  | {applied: false; notice: string};

export interface VideoProvider {
  /** Stable provider name, e.g. `vonage`. */
  readonly name: string;
  /** Value a client SDK needs beside the token (Vonage: the application id in the apiKey slot). */
  readonly applicationId: string;

  createSession(options: CreateSessionOptions): Promise<ProviderSession>;
  /** Signs locally, no network (possibly on another thread, hence the promise). */
  generateClientToken(sessionId: string, options: ClientTokenOptions): Promise<string>;
  listConnections(sessionId: string): Promise<ProviderConnection[]>;
  /** Succeeds when the connection is already gone. */
  disconnect(sessionId: string, connectionId: string): Promise<void>;

  listArchives(search: ArchiveSearch): Promise<ArchivePage>;
  getArchive(archiveId: string): Promise<ProviderArchive>;
  /** Succeeds when the archive is already stopped. */
  stopArchive(archiveId: string): Promise<void>;
  deleteArchive(archiveId: string): Promise<void>;

  applyStorageTarget(target: ProviderStorageTarget | null): Promise<StorageTargetApplyResult>;

  /** Releases threads or connections the provider holds; called once when the service stops. */
  close?(): Promise<void>;
}
