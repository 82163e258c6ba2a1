import path from 'node:path';
import {EnvReader} from './env-reader';

/** Settings of `npm run emulator` (the standalone Vonage Video emulator). */
export interface EmulatorConfig {
  port: number;
  host: string;
  dataDir: string;
  /** When unset, the development identity under DATA_DIR is used (the one `npm start` uses). */
  applicationId?: string;
  privateKeyPem?: string;
  /** Public key of the application, when only that half is at hand. */
  publicKeyPem?: string;
  signatureSecret?: string;
  apiKey?: string;
  apiSecret?: string;
  callbackUrl?: string;
  /** `--zoom`: the Zoom emulator's port (ZOOM_EMULATOR_PORT, default 4011) and credentials (ZOOM_*; unset: the development ones). */
  zoom: {
    port: number;
    sdkKey?: string;
    sdkSecret?: string;
    apiKey?: string;
    apiSecret?: string;
    webhookSecretToken?: string;
  };
}

export function loadEmulatorConfig(env: NodeJS.ProcessEnv): EmulatorConfig {
  const read = new EnvReader(env);
  return {
    port: read.port('EMULATOR_PORT') ?? 4010,
    host: read.string('EMULATOR_HOST') ?? '127.0.0.1',
    dataDir: path.resolve(read.string('DATA_DIR') ?? '.data'),
    applicationId: read.string('VONAGE_APPLICATION_ID'),
    privateKeyPem: read.pemOrPath('VONAGE_PRIVATE_KEY'),
    publicKeyPem: read.pemOrPath('EMULATOR_PUBLIC_KEY'),
    signatureSecret: read.string('VONAGE_SIGNATURE_SECRET'),
    apiKey: read.string('VONAGE_API_KEY'),
    apiSecret: read.string('VONAGE_API_SECRET'),
    callbackUrl: read.url('EMULATOR_CALLBACK_URL'),
    zoom: {
      port: read.port('ZOOM_EMULATOR_PORT') ?? 4011,
      sdkKey: read.string('ZOOM_SDK_KEY'),
      sdkSecret: read.string('ZOOM_SDK_SECRET'),
      apiKey: read.string('ZOOM_API_KEY'),
      apiSecret: read.string('ZOOM_API_SECRET'),
      // The first token when several are listed for rotation: Zoom signs with one.
      webhookSecretToken: read.list('ZOOM_WEBHOOK_SECRET_TOKEN')[0],
    },
  };
}
