import type {StorageTargetConfig} from '../providers/storage/types';
import {EmulatorHttpError} from './http-utils';

/** What `PUT /v2/project/{apiKey}/archive/storage` accepted (provider-facts §A7). Secrets included. */
export type OpenTokStorageTarget =
  | {type: 's3'; config: {accessKey: string; secretKey: string; bucket: string; endpoint?: string}; fallback: 'none' | 'opentok'}
  | {type: 'azure'; config: {accountName: string; accountKey: string; container: string; domain?: string}; fallback: 'none' | 'opentok'};

const REQUIRED_FIELDS = {s3: ['accessKey', 'secretKey', 'bucket'], azure: ['accountName', 'accountKey', 'container']} as const;
const OPTIONAL_FIELDS = {s3: 'endpoint', azure: 'domain'} as const;

/** Validates the body like Vonage: 400 for bad JSON or no usable target. Messages name fields, never values. */
export function parseOpenTokStorageBody(body: unknown): OpenTokStorageTarget {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new EmulatorHttpError(400, 'Body must be a JSON object');
  const {type, config, fallback = 'none'} = body as Record<string, unknown>;
  if (type !== 's3' && type !== 'azure') throw new EmulatorHttpError(400, 'type must be "s3" or "azure"');
  if (typeof config !== 'object' || config === null) throw new EmulatorHttpError(400, 'config is required');
  if (fallback !== 'none' && fallback !== 'opentok') throw new EmulatorHttpError(400, 'fallback must be "none" or "opentok"');
  const fields = config as Record<string, unknown>;
  const parsed: Record<string, string> = {};
  for (const name of REQUIRED_FIELDS[type]) {
    const value = fields[name];
    if (typeof value !== 'string' || value === '') throw new EmulatorHttpError(400, `config.${name} is required`);
    parsed[name] = value;
  }
  const optional = OPTIONAL_FIELDS[type];
  if (fields[optional] !== undefined) {
    if (typeof fields[optional] !== 'string' || fields[optional] === '') throw new EmulatorHttpError(400, `config.${optional} must be a non-empty string`);
    parsed[optional] = fields[optional] as string;
  }
  return {type, config: parsed, fallback} as OpenTokStorageTarget;
}

/**
 * The target Vonage received → one our storage adapters can write to, so the
 * emulator uploads where Vonage would. Vonage's `opentok` fallback is our `provider`.
 */
export function toStorageTargetConfig(target: OpenTokStorageTarget): StorageTargetConfig {
  const fallback = target.fallback === 'opentok' ? 'provider' : 'none';
  if (target.type === 's3') {
    const {accessKey, secretKey, bucket, endpoint} = target.config;
    // S3-compatible stores (s3rver, MinIO, …) behind a custom endpoint want path-style URLs.
    return {type: 's3', bucket, accessKey, secretKey, region: 'us-east-1', endpoint, forcePathStyle: Boolean(endpoint), fallback};
  }
  const {accountName, accountKey, container, domain} = target.config;
  return {type: 'azure', accountName, accountKey, container, endpoint: azureEndpoint(accountName, domain), fallback};
}

/** Azurite on loopback keeps the account in the path; real Azure (and custom domains) in the host. */
function azureEndpoint(accountName: string, domain: string | undefined): string {
  if (!domain) return `https://${accountName}.blob.core.windows.net`;
  if (/^(127\.0\.0\.1|localhost)(:\d+)?$/.test(domain)) return `http://${domain}/${accountName}`;
  return `https://${accountName}.${domain}`;
}
