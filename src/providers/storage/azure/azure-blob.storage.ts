import {BlobSASPermissions, BlobServiceClient, ContainerClient, StoragePipelineOptions, StorageSharedKeyCredential} from '@azure/storage-blob';
import {randomUUID} from 'node:crypto';
import type {OutboundGuard} from '../../../outbound/outbound-guard';
import {ArchiveStorage, AzureTargetConfig, endpointForMessages, StorageProbeError} from '../types';
import {AzureFailureContext, toAzureOperationError, toAzureProbeError} from './azure-error';

/** A probe answers an operator who is waiting on a form: fail within seconds. */
const PROBE_REQUEST_TIMEOUT_MS = 5_000;
/** Head/delete/put of one blob; generous, since a slow store is not a broken one. */
const OPERATION_TIMEOUT_MS = 60_000;
/** The SDK waits 4 s before its first retry by default; too long for a probe. */
const RETRY_DELAY_MS = 500;

/** An Azure Blob container holding uploaded archives. */
export class AzureBlobArchiveStorage implements ArchiveStorage {
  readonly type = 'azure' as const;
  private readonly container: ContainerClient;
  private readonly failureContext: AzureFailureContext;

  constructor(
    private readonly config: AzureTargetConfig,
    options: {outbound?: OutboundGuard} = {},
  ) {
    const endpoint = config.endpoint ?? `https://${config.accountName}.blob.core.windows.net`;
    this.failureContext = {container: config.container, endpoint: endpointForMessages(endpoint)};
    const credential = new StorageSharedKeyCredential(config.accountName, config.accountKey);
    // tryTimeoutInMs is only a server-side hint (the `timeout` query parameter): the client-side
    // deadline is the abort signal passed with each call.
    const service = new BlobServiceClient(endpoint, credential, {
      retryOptions: {maxTries: 2, retryDelayInMs: RETRY_DELAY_MS},
      ...transportOptions(endpoint, options.outbound),
    });
    this.container = service.getContainerClient(config.container);
  }

  async probe(): Promise<void> {
    const blob = this.container.getBlockBlobClient(`.vcs-probe/${randomUUID()}`);
    const payload = Buffer.from(`archive storage probe ${randomUUID()}`);
    try {
      await blob.uploadData(payload, {blobHTTPHeaders: {blobContentType: 'text/plain'}, ...deadline(PROBE_REQUEST_TIMEOUT_MS)});
      const bytes = await blob.downloadToBuffer(0, undefined, deadline(PROBE_REQUEST_TIMEOUT_MS));
      await blob.delete(deadline(PROBE_REQUEST_TIMEOUT_MS));
      // A proxy or a misconfigured gateway can answer 2xx without storing anything.
      if (!bytes.equals(payload)) throw new StorageProbeError(`Azure container "${this.config.container}" returned other bytes than were written`);
    } catch (error) {
      if (error instanceof StorageProbeError) throw error;
      throw toAzureProbeError(error, this.failureContext);
    }
  }

  /** A read-only blob SAS signed locally with the account key: no request is made. */
  async presignDownload(objectKey: string, ttlSeconds: number): Promise<string> {
    return this.container.getBlobClient(objectKey).generateSasUrl({
      permissions: BlobSASPermissions.parse('r'),
      expiresOn: new Date(Date.now() + ttlSeconds * 1000),
    });
  }

  async exists(objectKey: string): Promise<boolean> {
    try {
      return await this.container.getBlobClient(objectKey).exists(deadline(OPERATION_TIMEOUT_MS));
    } catch (error) {
      throw toAzureOperationError(error, this.failureContext);
    }
  }

  async deleteObject(objectKey: string): Promise<void> {
    try {
      await this.container.getBlobClient(objectKey).deleteIfExists(deadline(OPERATION_TIMEOUT_MS));
    } catch (error) {
      throw toAzureOperationError(error, this.failureContext);
    }
  }

  async putObject(objectKey: string, body: Buffer, contentType: string): Promise<void> {
    try {
      await this.container.getBlockBlobClient(objectKey).uploadData(body, {blobHTTPHeaders: {blobContentType: contentType}, ...deadline(OPERATION_TIMEOUT_MS)});
    } catch (error) {
      throw toAzureOperationError(error, this.failureContext);
    }
  }
}

/**
 * StoragePipelineOptions does not declare them, but the options reach core-rest-pipeline's
 * createPipelineFromOptions unchanged (checked by the storage integration tests): `agent` is set on
 * every request, and the redirect policy, which follows up to 20 redirects by default, follows none.
 */
function transportOptions(endpoint: string, outbound: OutboundGuard | undefined): StoragePipelineOptions {
  const agents = outbound?.agents();
  const agent = agents && (endpoint.startsWith('https:') ? agents.httpsAgent : agents.httpAgent);
  return {redirectOptions: {maxRetries: 0}, ...(agent ? {agent} : {})} as StoragePipelineOptions;
}

function deadline(timeoutMs: number): {abortSignal: AbortSignal} {
  return {abortSignal: AbortSignal.timeout(timeoutMs)};
}
