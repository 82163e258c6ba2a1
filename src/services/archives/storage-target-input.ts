import type {StorageConfig} from '../../config/service-config';
import {ValidationError} from '../../errors/domain-errors';
import type {StorageFallback, StorageTargetConfig} from '../../providers/storage/types';

/** PUT /archives/storage-target body, in either spelling (`type` or the older `name`). */
export interface StorageTargetInput {
  type?: string;
  name?: string;
  bucket?: string;
  accessKey?: string;
  secretKey?: string;
  region?: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  accountName?: string;
  accountKey?: string;
  container?: string;
  fallback?: string;
}

const TYPE_ALIASES: Record<string, 's3' | 'azure'> = {s3: 's3', awss3: 's3', azure: 'azure'};

/** Normalises the body into a full target; credentials left out come from server config. */
export function toStorageTargetConfig(input: StorageTargetInput, defaults: StorageConfig): StorageTargetConfig {
  const rawType = (input.type ?? input.name ?? '').toLowerCase();
  const type = TYPE_ALIASES[rawType];
  if (!type) throw new ValidationError('type must be "s3" or "azure" (or name "AWSS3" / "AZURE")');
  const fallback = toFallback(input.fallback);
  const endpoint = optionalUrl(input.endpoint);
  if (type === 's3') {
    const accessKey = input.accessKey ?? defaults.awsAccessKeyId;
    const secretKey = input.secretKey ?? defaults.awsSecretAccessKey;
    return {
      type,
      bucket: required('bucket', input.bucket),
      accessKey: required('accessKey (or server AWS_ACCESS_KEY_ID)', accessKey),
      secretKey: required('secretKey (or server AWS_SECRET_ACCESS_KEY)', secretKey),
      region: input.region ?? defaults.awsRegion,
      endpoint,
      forcePathStyle: input.forcePathStyle ?? Boolean(endpoint),
      fallback,
    };
  }
  return {
    type,
    accountName: required('accountName', input.accountName),
    accountKey: required('accountKey (or server AZURE_STORAGE_ACCOUNT_KEY)', input.accountKey ?? defaults.azureAccountKey),
    container: required('container', input.container),
    endpoint,
    fallback,
  };
}

function required(field: string, value: string | undefined): string {
  if (value === undefined || value.trim() === '') throw new ValidationError(`${field} is required for this storage type`);
  return value;
}

/**
 * `provider`: the video provider keeps its own copy when an upload fails. The widely used
 * implementation this API follows spells it `vonage` (and OpenTok `opentok`): both still accepted.
 */
const PROVIDER_FALLBACK_ALIASES: readonly string[] = ['provider', 'vonage', 'opentok'];

function toFallback(value: string | undefined): StorageFallback {
  if (value === undefined || value === 'none') return 'none';
  if (PROVIDER_FALLBACK_ALIASES.includes(value)) return 'provider';
  throw new ValidationError('fallback must be "none" or "provider" ("vonage" is accepted as "provider")');
}

/**
 * The endpoint is stored in clear, shown to archive readers and copied into the audit log, so it
 * must carry no secret. A store's endpoint never needs a query or a fragment (the SDKs add their
 * own parameters), so any is refused rather than guessing which names hold a token (`sig`, `sv`,
 * `X-Amz-Signature`, ...). The messages never repeat the value.
 */
function optionalUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
  } catch {
    throw new ValidationError('endpoint must be an http(s) URL');
  }
  if (url.username !== '' || url.password !== '' || /^[a-z]+:\/\/[^/?#]*@/i.test(value)) {
    throw new ValidationError('endpoint must not contain user info (user:password@): send credentials in their own fields');
  }
  if (url.search !== '' || url.hash !== '' || /[?#]/.test(value)) {
    throw new ValidationError(
      'endpoint must not contain a query string or fragment (a SAS token belongs in no URL we store): send credentials in their own fields',
    );
  }
  return value.replace(/\/+$/, '');
}
