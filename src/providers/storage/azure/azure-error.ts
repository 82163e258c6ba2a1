import {findOutboundRefusal} from '../../../outbound/outbound-refused.error';
import {StorageOperationError, StorageProbeError} from '../types';

/** The fields of a RestError from @azure/storage-blob (or an abort) that tell failures apart. */
interface AzureError {
  name?: string;
  code?: string;
  statusCode?: number;
}

/** What the message may name: never the account key or a SAS. */
export interface AzureFailureContext {
  container: string;
  /** Already stripped of user info and query (see endpointForMessages). */
  endpoint: string;
}

const CREDENTIAL_CODES = new Set(['AuthenticationFailed', 'AuthorizationFailure', 'AuthorizationPermissionMismatch', 'InvalidAuthenticationInfo']);
// REQUEST_SEND_ERROR is what the pipeline reports when no response came back at all.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'REQUEST_SEND_ERROR',
]);

/** What a failed Blob call means, in words safe to show to the caller. */
export function describeAzureFailure(error: unknown, context: AzureFailureContext): string {
  const refused = findOutboundRefusal(error);
  if (refused) return `Azure Blob endpoint refused: ${refused.message}`;
  const e = (error ?? {}) as AzureError;
  const {container, endpoint} = context;
  if (e.code === 'ContainerNotFound') return `Azure container "${container}" does not exist`;
  if (e.statusCode === 403 || CREDENTIAL_CODES.has(e.code ?? '')) {
    return `Azure rejected the credentials for container "${container}" (${e.code ?? 'HTTP 403'})`;
  }
  if (e.statusCode === undefined && (NETWORK_CODES.has(e.code ?? '') || e.name === 'AbortError' || e.name === 'TimeoutError')) {
    return `Azure Blob endpoint ${endpoint} is unreachable (${e.code ?? 'timed out'})`;
  }
  return `Azure request for container "${container}" failed (${e.code ?? e.name ?? 'error'}${e.statusCode ? `, HTTP ${e.statusCode}` : ''})`;
}

export function toAzureProbeError(error: unknown, context: AzureFailureContext): StorageProbeError {
  return new StorageProbeError(describeAzureFailure(error, context), {cause: error});
}

export function toAzureOperationError(error: unknown, context: AzureFailureContext): StorageOperationError {
  return new StorageOperationError(describeAzureFailure(error, context), {cause: error});
}
