import {findOutboundRefusal} from '../../../outbound/outbound-refused.error';
import {StorageOperationError, StorageProbeError} from '../types';

/** The fields of an AWS SDK v3 error (or a Node system error under it) that tell failures apart. */
interface SdkError {
  name?: string;
  code?: string;
  syscall?: string;
  $metadata?: {httpStatusCode?: number};
}

/** What the message may name: never the access key or the secret. */
export interface S3FailureContext {
  bucket: string;
  region: string;
  /** Already stripped of user info and query (see endpointForMessages). */
  endpoint: string;
}

const CREDENTIAL_ERRORS = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied', 'InvalidToken', 'ExpiredToken', 'Forbidden']);
const REGION_ERRORS = new Set(['PermanentRedirect', 'AuthorizationHeaderMalformed', 'IllegalLocationConstraintException']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
// The SDK reports its own timeouts and aborted requests by name, without a code.
const TIMEOUT_NAMES = new Set(['TimeoutError', 'AbortError']);

/** What a failed S3 call means, in words safe to show to the caller. */
export function describeS3Failure(error: unknown, context: S3FailureContext): string {
  const refused = findOutboundRefusal(error);
  if (refused) return `S3 endpoint refused: ${refused.message}`;
  const e = (error ?? {}) as SdkError;
  const status = e.$metadata?.httpStatusCode;
  const {bucket, region, endpoint} = context;
  if (e.name === 'NoSuchBucket' || (status === 404 && e.name === 'NotFound')) {
    return `S3 bucket "${bucket}" does not exist`;
  }
  if (CREDENTIAL_ERRORS.has(e.name ?? '') || status === 403) {
    return `S3 rejected the credentials for bucket "${bucket}" (${e.name ?? `HTTP ${status}`})`;
  }
  if (REGION_ERRORS.has(e.name ?? '') || status === 301) {
    return `S3 bucket "${bucket}" is not in region "${region}" (${e.name ?? `HTTP ${status}`})`;
  }
  if (status === undefined && (NETWORK_CODES.has(e.code ?? '') || e.syscall !== undefined || TIMEOUT_NAMES.has(e.name ?? ''))) {
    return `S3 endpoint ${endpoint} is unreachable (${TIMEOUT_NAMES.has(e.name ?? '') ? 'timed out' : (e.code ?? e.syscall)})`;
  }
  return `S3 request for bucket "${bucket}" failed (${e.name ?? e.code ?? 'error'}${status ? `, HTTP ${status}` : ''})`;
}

export function toS3ProbeError(error: unknown, context: S3FailureContext): StorageProbeError {
  return new StorageProbeError(describeS3Failure(error, context), {cause: error});
}

export function toS3OperationError(error: unknown, context: S3FailureContext): StorageOperationError {
  return new StorageOperationError(describeS3Failure(error, context), {cause: error});
}

/** A 404 from HeadObject or DeleteObject: the object is not there. */
export function isS3NotFound(error: unknown): boolean {
  return (error as SdkError | undefined)?.$metadata?.httpStatusCode === 404;
}
