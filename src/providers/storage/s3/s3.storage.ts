import {DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client} from '@aws-sdk/client-s3';
import {getSignedUrl} from '@aws-sdk/s3-request-presigner';
import {randomUUID} from 'node:crypto';
import type {OutboundGuard} from '../../../outbound/outbound-guard';
import {ArchiveStorage, endpointForMessages, S3TargetConfig, StorageProbeError} from '../types';
import {isS3NotFound, S3FailureContext, toS3OperationError, toS3ProbeError} from './s3-error';

/** A probe answers an operator who is waiting on a form: fail within seconds. */
const PROBE_REQUEST_TIMEOUT_MS = 5_000;
/** Head/delete/put of one object; generous, since a slow store is not a broken one. */
const OPERATION_TIMEOUT_MS = 60_000;
/** An unreachable host (black-holed packets) fails here instead of after the OS TCP timeout. */
const CONNECTION_TIMEOUT_MS = 5_000;

export interface S3StorageOptions {
  /** Replaces the SDK client built from the config (unit tests). */
  client?: S3Client;
  /** Checks every connection's address (see OutboundGuard). */
  outbound?: OutboundGuard;
}

/** An S3 bucket (AWS or S3-compatible) holding uploaded archives. */
export class S3ArchiveStorage implements ArchiveStorage {
  readonly type = 's3' as const;
  private readonly client: S3Client;
  private readonly failureContext: S3FailureContext;

  constructor(
    private readonly config: S3TargetConfig,
    options: S3StorageOptions = {},
  ) {
    this.failureContext = {
      bucket: config.bucket,
      region: config.region,
      endpoint: endpointForMessages(config.endpoint ?? `https://s3.${config.region}.amazonaws.com`),
    };
    this.client = options.client ?? createS3Client(config, options.outbound);
  }

  async probe(): Promise<void> {
    const key = `.vcs-probe/${randomUUID()}`;
    const payload = Buffer.from(`archive storage probe ${randomUUID()}`);
    const bucket = this.config.bucket;
    try {
      await this.client.send(new PutObjectCommand({Bucket: bucket, Key: key, Body: payload, ContentType: 'text/plain'}), deadline(PROBE_REQUEST_TIMEOUT_MS));
      const read = await this.client.send(new GetObjectCommand({Bucket: bucket, Key: key}), deadline(PROBE_REQUEST_TIMEOUT_MS));
      const bytes = Buffer.from((await read.Body?.transformToByteArray()) ?? []);
      await this.client.send(new DeleteObjectCommand({Bucket: bucket, Key: key}), deadline(PROBE_REQUEST_TIMEOUT_MS));
      // A proxy or a misconfigured gateway can answer 200 without storing anything.
      if (!bytes.equals(payload)) throw new StorageProbeError(`S3 bucket "${bucket}" returned other bytes than were written`);
    } catch (error) {
      if (error instanceof StorageProbeError) throw error;
      throw toS3ProbeError(error, this.failureContext);
    }
  }

  /** Signed locally with the target's credentials: no request is made. */
  async presignDownload(objectKey: string, ttlSeconds: number): Promise<string> {
    return getSignedUrl(this.client, new GetObjectCommand({Bucket: this.config.bucket, Key: objectKey}), {expiresIn: ttlSeconds});
  }

  /** A missing bucket also answers 404 to HeadObject, so it reads as "no such object". */
  async exists(objectKey: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({Bucket: this.config.bucket, Key: objectKey}), deadline(OPERATION_TIMEOUT_MS));
      return true;
    } catch (error) {
      if (isS3NotFound(error)) return false;
      throw toS3OperationError(error, this.failureContext);
    }
  }

  async deleteObject(objectKey: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({Bucket: this.config.bucket, Key: objectKey}), deadline(OPERATION_TIMEOUT_MS));
    } catch (error) {
      if (isS3NotFound(error)) return;
      throw toS3OperationError(error, this.failureContext);
    }
  }

  async putObject(objectKey: string, body: Buffer, contentType: string): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({Bucket: this.config.bucket, Key: objectKey, Body: body, ContentType: contentType}),
        deadline(OPERATION_TIMEOUT_MS),
      );
    } catch (error) {
      throw toS3OperationError(error, this.failureContext);
    }
  }
}

// The SDK's requestTimeout only logs a warning unless told to throw, and applies per attempt; an
// abort signal is one deadline per call, retries included.
function deadline(timeoutMs: number): {abortSignal: AbortSignal} {
  return {abortSignal: AbortSignal.timeout(timeoutMs)};
}

function createS3Client(config: S3TargetConfig, outbound: OutboundGuard | undefined): S3Client {
  return new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle,
    credentials: {accessKeyId: config.accessKey, secretAccessKey: config.secretKey},
    // One retry for a transient 5xx or reset; the per-call deadline bounds the total.
    maxAttempts: 2,
    // The handler follows no redirects (S3's own region redirects stay off: followRegionRedirects).
    requestHandler: {connectionTimeout: CONNECTION_TIMEOUT_MS, ...outbound?.agents()},
  });
}
