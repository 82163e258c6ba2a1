/**
 * Archive storage: where the provider uploads recordings and where we presign
 * downloads. Secrets in these types are clear text: never log them.
 */

export type StorageType = 's3' | 'azure';

/** What the provider does when an upload fails: drop it, or keep a copy on its cloud. */
/** Whether the video provider keeps its own cloud copy when an upload fails. */
export type StorageFallback = 'none' | 'provider';

export interface S3TargetConfig {
  type: 's3';
  bucket: string;
  accessKey: string;
  secretKey: string;
  region: string;
  /** S3-compatible endpoint; absent for AWS itself. */
  endpoint?: string;
  forcePathStyle: boolean;
  fallback: StorageFallback;
}

export interface AzureTargetConfig {
  type: 'azure';
  accountName: string;
  accountKey: string;
  container: string;
  /** Blob service endpoint; default `https://{accountName}.blob.core.windows.net`. */
  endpoint?: string;
  fallback: StorageFallback;
}

export type StorageTargetConfig = S3TargetConfig | AzureTargetConfig;

/** A failed probe of a target, with a message safe to show the caller (no secrets). */
export class StorageProbeError extends Error {
  readonly code = 'STORAGE_TARGET_INVALID';
  constructor(message: string, options?: {cause?: unknown}) {
    super(message, options);
    this.name = 'StorageProbeError';
  }
}

/** A storage operation failed after the target was accepted (network, auth, 5xx). */
export class StorageOperationError extends Error {
  readonly code = 'STORAGE_UNAVAILABLE';
  constructor(message: string, options?: {cause?: unknown}) {
    super(message, options);
    this.name = 'StorageOperationError';
  }
}

/** One configured bucket or container. */
export interface ArchiveStorage {
  readonly type: StorageType;
  /**
   * Proves the target works: writes, reads back and deletes a small probe object.
   * Throws StorageProbeError naming what failed.
   */
  probe(): Promise<void>;
  /** A time-limited GET URL for an object. */
  presignDownload(objectKey: string, ttlSeconds: number): Promise<string>;
  exists(objectKey: string): Promise<boolean>;
  /** Succeeds when the object is already gone. */
  deleteObject(objectKey: string): Promise<void>;
  /** Used by the emulator and tests to place an archive as the provider would. */
  putObject(objectKey: string, body: Buffer, contentType: string): Promise<void>;
}

/** Builds an ArchiveStorage for a target; bound once, so tests can swap it. */
export type ArchiveStorageFactory = (config: StorageTargetConfig) => ArchiveStorage;

/**
 * An endpoint as it may appear in an error message: without user info or query
 * string, which could hold a key or a SAS token pasted with the URL.
 */
export function endpointForMessages(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return '(invalid endpoint URL)';
  }
}
