import {ConfigError, EnvReader} from './env-reader';

export interface VonageConfig {
  applicationId: string;
  /** PEM text of the application private key (a path in `VONAGE_PRIVATE_KEY` is read at load time). */
  privateKeyPem: string;
  /** Base URL of the Video REST API, without a trailing slash. */
  videoHost: string;
  /** Legacy OpenTok project key/secret, only needed to set the archive storage target by API. */
  apiKey?: string;
  apiSecret?: string;
  apiHost: string;
  timeoutMs: number;
  /** Every secret that may currently sign Vonage's callbacks (rotation keeps two valid at once). */
  signatureSecrets: string[];
}

/** Which providers this deployment runs meetings on; each provider's section holds its own secrets. */
export interface VideoConfig {
  /** Provider of new meetings (`VIDEO_PROVIDER`). */
  defaultProvider: string;
  /** Absent when no Vonage application is configured: local mode uses the emulator. */
  vonage?: VonageConfig;
}

/** `VIDEO_PROVIDER` and each provider's own section. */
export function readVideoConfig(read: EnvReader, isProduction: boolean): VideoConfig {
  return {
    defaultProvider: read.oneOf('VIDEO_PROVIDER', ['vonage']) ?? 'vonage',
    vonage: readVonage(read, isProduction),
  };
}

function readVonage(read: EnvReader, isProduction: boolean): VonageConfig | undefined {
  const applicationId = read.string('VONAGE_APPLICATION_ID');
  const videoHost = (read.url('VONAGE_VIDEO_HOST') ?? 'https://video.api.vonage.com').replace(/\/+$/, '');
  const apiHost = (read.url('VONAGE_API_HOST') ?? 'https://api.opentok.com').replace(/\/+$/, '');
  const timeoutMs = read.integer('VONAGE_TIMEOUT_MS', {min: 100, max: 120000}) ?? 10000;
  if (!applicationId) {
    if (isProduction) {
      throw new ConfigError('VONAGE_APPLICATION_ID', 'is required when NODE_ENV=production (local mode uses an emulator)');
    }
    return undefined;
  }
  const privateKeyPem = read.pemOrPath('VONAGE_PRIVATE_KEY');
  if (!privateKeyPem) {
    throw new ConfigError('VONAGE_PRIVATE_KEY', 'is required when VONAGE_APPLICATION_ID is set');
  }
  const apiKey = read.string('VONAGE_API_KEY');
  const apiSecret = read.string('VONAGE_API_SECRET');
  if (Boolean(apiKey) !== Boolean(apiSecret)) {
    throw new ConfigError(apiKey ? 'VONAGE_API_SECRET' : 'VONAGE_API_KEY', 'must be set together with its pair');
  }
  const signatureSecrets = read.list('VONAGE_SIGNATURE_SECRET');
  if (isProduction && signatureSecrets.length === 0) {
    throw new ConfigError('VONAGE_SIGNATURE_SECRET', 'is required when NODE_ENV=production: callbacks are only accepted signed');
  }
  return {applicationId, privateKeyPem, videoHost, apiKey, apiSecret, apiHost, timeoutMs, signatureSecrets};
}
