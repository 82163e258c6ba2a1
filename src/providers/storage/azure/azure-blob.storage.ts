import {BlobSASPermissions, BlobServiceClient, ContainerClient, StorageSharedKeyCredential} from '@azure/storage-blob';
import {randomUUID} from 'node:crypto';
import {ArchiveStorage, AzureTargetConfig, StorageProbeError} from '../types';
import {toAzureOperationError, toAzureProbeError} from './azure-error';

const PROBE_TIMEOUT_MS = 5000;

/** An Azure Blob container holding uploaded archives. */
export class AzureBlobArchiveStorage implements ArchiveStorage {
  readonly type = 'azure' as const;
  private readonly container: ContainerClient;
  private readonly endpoint: string;

  constructor(private readonly config: AzureTargetConfig) {
    this.endpoint = config.endpoint ?? `https://${config.accountName}.blob.core.windows.net`;
    const credential = new StorageSharedKeyCredential(config.accountName, config.accountKey);
    // One retry with a short try timeout: a wrong endpoint must fail the probe quickly.
    const service = new BlobServiceClient(this.endpoint, credential, {retryOptions: {maxTries: 2, tryTimeoutInMs: PROBE_TIMEOUT_MS}});
    this.container = service.getContainerClient(config.container);
  }

  async probe(): Promise<void> {
    const blob = this.container.getBlockBlobClient(`.vcs-probe/${randomUUID()}`);
    const payload = Buffer.from(`probe ${new Date().toISOString()}`);
    try {
      await blob.uploadData(payload, {blobHTTPHeaders: {blobContentType: 'text/plain'}});
      const bytes = await blob.downloadToBuffer();
      if (!bytes.equals(payload)) throw new StorageProbeError(`Azure container "${this.config.container}" returned other bytes than were written`);
      await blob.delete();
    } catch (error) {
      if (error instanceof StorageProbeError) throw error;
      throw toAzureProbeError(error, this.config.container, this.endpoint);
    }
  }

  async presignDownload(objectKey: string, ttlSeconds: number): Promise<string> {
    return this.container.getBlobClient(objectKey).generateSasUrl({
      permissions: BlobSASPermissions.parse('r'),
      expiresOn: new Date(Date.now() + ttlSeconds * 1000),
    });
  }

  async exists(objectKey: string): Promise<boolean> {
    try {
      return await this.container.getBlobClient(objectKey).exists();
    } catch (error) {
      throw toAzureOperationError(error, this.config.container, this.endpoint);
    }
  }

  async deleteObject(objectKey: string): Promise<void> {
    try {
      await this.container.getBlobClient(objectKey).deleteIfExists();
    } catch (error) {
      throw toAzureOperationError(error, this.config.container, this.endpoint);
    }
  }

  async putObject(objectKey: string, body: Buffer, contentType: string): Promise<void> {
    try {
      await this.container.getBlockBlobClient(objectKey).uploadData(body, {blobHTTPHeaders: {blobContentType: contentType}});
    } catch (error) {
      throw toAzureOperationError(error, this.config.container, this.endpoint);
    }
  }
}
