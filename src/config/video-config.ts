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

/** Zoom Video SDK: join tokens with the SDK key pair, REST with the API key pair (separate credentials). */
export interface ZoomConfig {
  sdkKey: string;
  sdkSecret: string;
  apiKey: string;
  apiSecret: string;
  /** Every secret token that may currently sign Zoom's webhooks (rotation keeps two valid at once). */
  webhookSecretTokens: string[];
  /** Base URL of the REST API including `/v2`, without a trailing slash. */
  apiHost: string;
  timeoutMs: number;
}

/** Which providers this deployment runs meetings on; each provider's section holds its own secrets. */
export interface VideoConfig {
  /** Provider of new meetings (`VIDEO_PROVIDER`). */
  defaultProvider: string;
  /** Absent when no Vonage application is configured: local mode uses the emulator. */
  vonage?: VonageConfig;
  /** Absent when no Zoom Video SDK app is configured: local mode uses the emulator. */
  zoom?: ZoomConfig;
}

/** `VIDEO_PROVIDER` and each provider's own section. */
export function readVideoConfig(read: EnvReader, isProduction: boolean): VideoConfig {
  const defaultProvider = read.oneOf('VIDEO_PROVIDER', ['vonage', 'zoom']) ?? 'vonage';
  return {
    defaultProvider,
    vonage: readVonage(read, isProduction && defaultProvider === 'vonage'),
    zoom: readZoom(read, isProduction && defaultProvider === 'zoom'),
  };
}

const ZOOM_VARIABLES = ['ZOOM_SDK_KEY', 'ZOOM_SDK_SECRET', 'ZOOM_API_KEY', 'ZOOM_API_SECRET', 'ZOOM_WEBHOOK_SECRET_TOKEN'] as const;

/**
 * Zoom is configured when any of its variables is set; then all of them must be. In production the
 * default provider's section must be complete (local mode runs an emulator instead).
 */
function readZoom(read: EnvReader, required: boolean): ZoomConfig | undefined {
  const apiHost = (read.url('ZOOM_API_HOST') ?? 'https://api.zoom.us/v2').replace(/\/+$/, '');
  const timeoutMs = read.integer('ZOOM_TIMEOUT_MS', {min: 100, max: 120000}) ?? 10000;
  const values = Object.fromEntries(ZOOM_VARIABLES.map(name => [name, read.string(name)])) as Record<(typeof ZOOM_VARIABLES)[number], string | undefined>;
  const missing = ZOOM_VARIABLES.find(name => !values[name]);
  if (!missing) {
    return {
      sdkKey: values.ZOOM_SDK_KEY!,
      sdkSecret: values.ZOOM_SDK_SECRET!,
      apiKey: values.ZOOM_API_KEY!,
      apiSecret: values.ZOOM_API_SECRET!,
      webhookSecretTokens: read.list('ZOOM_WEBHOOK_SECRET_TOKEN'),
      apiHost,
      timeoutMs,
    };
  }
  const anySet = ZOOM_VARIABLES.some(name => values[name]);
  if (anySet) throw new ConfigError(missing, 'is required when any ZOOM_ variable is set (the Zoom section is incomplete)');
  if (required) throw new ConfigError(missing, 'is required when NODE_ENV=production and VIDEO_PROVIDER=zoom (local mode uses an emulator)');
  return undefined;
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
