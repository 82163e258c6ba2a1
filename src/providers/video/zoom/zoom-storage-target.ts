import {ValidationError} from '../../../errors/domain-errors';
import type {ProviderStorageTarget, StorageTargetApplyResult} from '../types';
import {isRecord, malformedReply, ZoomRestClient} from './zoom-rest.client';

export const ZOOM_CUSTOM_ENDPOINT_NOTICE =
  "Zoom's bring-your-own storage writes only to Amazon S3 itself, not to an S3-compatible endpoint: " +
  'recordings stay in Zoom’s cloud. The target is stored here and used for downloads.';

/**
 * Bring-your-own storage of the Video SDK (provider-facts §B4): a storage location (S3 only), then
 * the account's recording storage pointed at it. Removing the target turns it off again.
 * Request bodies hold the access key: nothing here logs them or puts them in an error.
 */
export class ZoomStorageTarget {
  constructor(
    private readonly rest: ZoomRestClient,
    /** Zoom needs the bucket's region; the target has none, so the service's AWS region is used. */
    private readonly region: string,
  ) {}

  async apply(target: ProviderStorageTarget | null): Promise<StorageTargetApplyResult> {
    if (target === null) {
      await this.rest.call('storage update', {method: 'PATCH', path: '/videosdk/settings/storage', body: {bring_our_own_storage: false}});
      return {applied: true};
    }
    if (target.type === 'azure') {
      // The service checks capabilities.storageKinds first; this guards the adapter itself.
      throw new ValidationError('Zoom can upload recordings to Amazon S3 only, not to Azure Blob storage');
    }
    if (target.endpoint) return {applied: false, notice: ZOOM_CUSTOM_ENDPOINT_NOTICE};
    const created = await this.rest.call('storage location create', {
      method: 'POST',
      path: '/videosdk/settings/storage/location',
      body: {
        name: `vcs-${target.bucket}`.slice(0, 64),
        provider: 'aws_s3',
        s3: {region: this.region, bucket: target.bucket, authentication_mechanism: 'aws_access_key', access_key: {id: target.accessKey, key: target.secretKey}},
      },
    });
    if (!isRecord(created) || typeof created.id !== 'string' || created.id === '') throw malformedReply('storage location create', 'the reply held no id');
    await this.rest.call('storage update', {
      method: 'PATCH',
      path: '/videosdk/settings/storage',
      body: {bring_our_own_storage: true, storage_location_id: created.id},
    });
    return {applied: true};
  }
}
