import type {OutboundGuard} from '../../outbound/outbound-guard';
import type {ArchiveStorage, StorageTargetConfig} from './types';

export interface ArchiveStorageOptions {
  /** Checks the address of every connection; absent for the emulator, which plays the provider. */
  outbound?: OutboundGuard;
}

/**
 * One adapter per storage type; the type is checked when the target is parsed.
 *
 * Each SDK is loaded on first use, not at start: the Azure and AWS SDKs took about 210–240 ms of a cold start here
 * and stayed resident in every process, while only archive downloads and target checks need one of them (and a
 * deployment only ever one). The first such call pays the load once.
 */
export function createArchiveStorage(config: StorageTargetConfig, options: ArchiveStorageOptions = {}): ArchiveStorage {
  if (config.type === 's3') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start
    const {S3ArchiveStorage} = require('./s3/s3.storage') as typeof import('./s3/s3.storage');
    return new S3ArchiveStorage(config, options);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start
  const {AzureBlobArchiveStorage} = require('./azure/azure-blob.storage') as typeof import('./azure/azure-blob.storage');
  return new AzureBlobArchiveStorage(config, options);
}
