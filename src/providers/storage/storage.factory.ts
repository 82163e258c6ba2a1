import {AzureBlobArchiveStorage} from './azure/azure-blob.storage';
import {S3ArchiveStorage} from './s3/s3.storage';
import type {ArchiveStorageFactory} from './types';

/** One adapter per storage type; the type is checked when the target is parsed. */
export const createArchiveStorage: ArchiveStorageFactory = config =>
  config.type === 's3' ? new S3ArchiveStorage(config) : new AzureBlobArchiveStorage(config);
