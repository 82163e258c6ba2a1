import type {OutboundGuard} from '../../outbound/outbound-guard';
import {AzureBlobArchiveStorage} from './azure/azure-blob.storage';
import {S3ArchiveStorage} from './s3/s3.storage';
import type {ArchiveStorage, StorageTargetConfig} from './types';

export interface ArchiveStorageOptions {
  /** Checks the address of every connection; absent for the emulator, which plays the provider. */
  outbound?: OutboundGuard;
}

/** One adapter per storage type; the type is checked when the target is parsed. */
export function createArchiveStorage(config: StorageTargetConfig, options: ArchiveStorageOptions = {}): ArchiveStorage {
  return config.type === 's3' ? new S3ArchiveStorage(config, options) : new AzureBlobArchiveStorage(config, options);
}
