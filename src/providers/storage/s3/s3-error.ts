import {StorageOperationError, StorageProbeError} from '../types';

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: {httpStatusCode?: number};
}

const CREDENTIAL_ERRORS = ['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied', 'InvalidToken', 'ExpiredToken', 'Forbidden'];
const NETWORK_ERRORS = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH'];

/** What a failed S3 call means, in words safe to show (the SDK's messages never include secrets, ours neither). */
export function describeS3Failure(error: unknown, bucket: string, endpoint: string): string {
  const e = (error ?? {}) as SdkError;
  const status = e.$metadata?.httpStatusCode;
  if (e.name === 'NoSuchBucket' || e.code === 'NoSuchBucket' || (status === 404 && e.name === 'NotFound')) {
    return `S3 bucket "${bucket}" does not exist`;
  }
  if (CREDENTIAL_ERRORS.includes(e.name ?? '') || status === 403) {
    return `S3 rejected the credentials for bucket "${bucket}" (${e.name ?? `HTTP ${status}`})`;
  }
  if (NETWORK_ERRORS.includes(e.code ?? '') || e.name === 'TimeoutError' || e.name === 'AbortError' || status === undefined) {
    return `S3 endpoint ${endpoint} is unreachable`;
  }
  return `S3 request for bucket "${bucket}" failed (${e.name ?? 'error'}, HTTP ${status})`;
}

export function toProbeError(error: unknown, bucket: string, endpoint: string): StorageProbeError {
  return new StorageProbeError(describeS3Failure(error, bucket, endpoint), {cause: error});
}

export function toOperationError(error: unknown, bucket: string, endpoint: string): StorageOperationError {
  return new StorageOperationError(describeS3Failure(error, bucket, endpoint), {cause: error});
}
