import {StorageOperationError, StorageProbeError} from '../types';

interface AzureError {
  name?: string;
  code?: string;
  statusCode?: number;
}

const NETWORK_ERRORS = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'REQUEST_SEND_ERROR'];

/** What a failed Blob call means, safe to show: no key, no signature. */
export function describeAzureFailure(error: unknown, container: string, endpoint: string): string {
  const e = (error ?? {}) as AzureError;
  if (e.code === 'ContainerNotFound') return `Azure container "${container}" does not exist`;
  if (e.statusCode === 403 || e.code === 'AuthenticationFailed' || e.code === 'AuthorizationFailure') {
    return `Azure rejected the credentials for container "${container}" (${e.code ?? 'HTTP 403'})`;
  }
  if (NETWORK_ERRORS.includes(e.code ?? '') || e.name === 'AbortError' || e.statusCode === undefined) {
    return `Azure Blob endpoint ${endpoint} is unreachable`;
  }
  return `Azure request for container "${container}" failed (${e.code ?? 'error'}, HTTP ${e.statusCode})`;
}

export const toAzureProbeError = (error: unknown, container: string, endpoint: string) =>
  new StorageProbeError(describeAzureFailure(error, container, endpoint), {cause: error});

export const toAzureOperationError = (error: unknown, container: string, endpoint: string) =>
  new StorageOperationError(describeAzureFailure(error, container, endpoint), {cause: error});
