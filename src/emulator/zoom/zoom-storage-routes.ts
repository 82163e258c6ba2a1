import {randomUUID} from 'node:crypto';
import type {RestReply} from '../rest-types';
import {ZOOM_CODES, ZoomApiError} from './zoom-api-error';
import type {ZoomEmulatorState} from './zoom-emulator-state';

/**
 * Bring-your-own storage (provider-facts §B4): S3 locations and the account's switch. Validated like
 * Zoom; replies never echo the access key. Null when the route is not a storage one.
 */
export function handleStorageRoute(method: string, path: string, body: Record<string, unknown>, state: ZoomEmulatorState): RestReply | null {
  if (path === '/videosdk/settings/storage' && method === 'GET') {
    return {status: 200, body: {bring_our_own_storage: state.storage.bringOurOwnStorage, storage_location_id: state.storage.storageLocationId ?? ''}};
  }
  if (path === '/videosdk/settings/storage' && method === 'PATCH') {
    const enable = body.bring_our_own_storage;
    if (typeof enable !== 'boolean') throw invalid('bring_our_own_storage must be true or false.');
    if (!enable) {
      state.storage = {bringOurOwnStorage: false, storageLocationId: state.storage.storageLocationId};
      return {status: 204};
    }
    const locationId = body.storage_location_id ?? state.storage.storageLocationId;
    if (typeof locationId !== 'string' || !state.storageLocations.has(locationId)) {
      throw new ZoomApiError(404, ZOOM_CODES.storageLocationNotFound, 'Storage location does not exist.');
    }
    state.storage = {bringOurOwnStorage: true, storageLocationId: locationId};
    return {status: 204};
  }
  if (path === '/videosdk/settings/storage/location' && method === 'POST') {
    const location = parseLocation(body);
    state.storageLocations.set(location.id, location);
    return {status: 201, body: {id: location.id, name: location.name, provider: 'aws_s3', s3: {region: location.s3.region, bucket: location.s3.bucket}}};
  }
  return null;
}

function parseLocation(body: Record<string, unknown>) {
  if (typeof body.name !== 'string' || body.name === '') throw invalid('name is required.');
  if (body.provider !== 'aws_s3') throw invalid('provider must be aws_s3.');
  const s3 = (body.s3 ?? {}) as Record<string, unknown>;
  const accessKey = (s3.access_key ?? {}) as Record<string, unknown>;
  for (const [field, value] of [
    ['s3.region', s3.region],
    ['s3.bucket', s3.bucket],
    ['s3.access_key.id', accessKey.id],
    ['s3.access_key.key', accessKey.key],
  ] as const) {
    if (typeof value !== 'string' || value === '') throw invalid(`${field} is required.`);
  }
  if (s3.authentication_mechanism !== 'aws_access_key') throw invalid('s3.authentication_mechanism must be aws_access_key.');
  return {
    id: randomUUID().replace(/-/g, ''),
    name: body.name,
    s3: {region: s3.region as string, bucket: s3.bucket as string, accessKeyId: accessKey.id as string, secretAccessKey: accessKey.key as string},
  };
}

function invalid(message: string): ZoomApiError {
  return new ZoomApiError(400, ZOOM_CODES.invalidField, message);
}
