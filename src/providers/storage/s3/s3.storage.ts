import {DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client} from '@aws-sdk/client-s3';
import {getSignedUrl} from '@aws-sdk/s3-request-presigner';
import {randomUUID} from 'node:crypto';
import {ArchiveStorage, S3TargetConfig, StorageProbeError} from '../types';
import {toOperationError, toProbeError} from './s3-error';

const PROBE_TIMEOUT_MS = 5000;

export interface S3StorageOptions {
  /** Replaces the SDK client (unit tests). */
  client?: S3Client;
}

/** An S3 bucket (AWS or S3-compatible) holding uploaded archives. */
export class S3ArchiveStorage implements ArchiveStorage {
  readonly type = 's3' as const;
  private readonly client: S3Client;
  private readonly endpointLabel: string;

  constructor(
    private readonly config: S3TargetConfig,
    options: S3StorageOptions = {},
  ) {
    this.endpointLabel = config.endpoint ?? `s3.${config.region}.amazonaws.com`;
    this.client =
      options.client ??
      new S3Client({
        region: config.region,
        endpoint: config.endpoint,
        forcePathStyle: config.forcePathStyle,
        credentials: {accessKeyId: config.accessKey, secretAccessKey: config.secretKey},
        // A probe must answer quickly: one retry, short timeouts.
        maxAttempts: 2,
        requestHandler: {connectionTimeout: PROBE_TIMEOUT_MS, requestTimeout: PROBE_TIMEOUT_MS},
      });
  }

  async probe(): Promise<void> {
    const key = `.vcs-probe/${randomUUID()}`;
    const payload = Buffer.from(`probe ${new Date().toISOString()}`);
    try {
      await this.client.send(new PutObjectCommand({Bucket: this.config.bucket, Key: key, Body: payload, ContentType: 'text/plain'}));
      const read = await this.client.send(new GetObjectCommand({Bucket: this.config.bucket, Key: key}));
      const bytes = Buffer.from((await read.Body?.transformToByteArray()) ?? []);
      if (!bytes.equals(payload)) throw new StorageProbeError(`S3 bucket "${this.config.bucket}" returned other bytes than were written`);
      await this.client.send(new DeleteObjectCommand({Bucket: this.config.bucket, Key: key}));
    } catch (error) {
      if (error instanceof StorageProbeError) throw error;
      throw toProbeError(error, this.config.bucket, this.endpointLabel);
    }
  }

  async presignDownload(objectKey: string, ttlSeconds: number): Promise<string> {
    return getSignedUrl(this.client, new GetObjectCommand({Bucket: this.config.bucket, Key: objectKey}), {expiresIn: ttlSeconds});
  }

  async exists(objectKey: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({Bucket: this.config.bucket, Key: objectKey}));
      return true;
    } catch (error) {
      if ((error as {$metadata?: {httpStatusCode?: number}}).$metadata?.httpStatusCode === 404) return false;
      throw toOperationError(error, this.config.bucket, this.endpointLabel);
    }
  }

  async deleteObject(objectKey: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({Bucket: this.config.bucket, Key: objectKey}));
    } catch (error) {
      if ((error as {$metadata?: {httpStatusCode?: number}}).$metadata?.httpStatusCode === 404) return;
      throw toOperationError(error, this.config.bucket, this.endpointLabel);
    }
  }

  async putObject(objectKey: string, body: Buffer, contentType: string): Promise<void> {
    try {
      await this.client.send(new PutObjectCommand({Bucket: this.config.bucket, Key: objectKey, Body: body, ContentType: contentType}));
    } catch (error) {
      throw toOperationError(error, this.config.bucket, this.endpointLabel);
    }
  }
}
