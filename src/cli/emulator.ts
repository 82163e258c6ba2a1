import {createPublicKey} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {EmulatorConfig, loadEmulatorConfig} from '../config/emulator-config';
import {ConfigError} from '../config/env-reader';
import {loadDotEnv} from '../config/load-dotenv';
import {VonageVideoEmulator} from '../emulator';
import {ZoomVideoEmulator} from '../emulator/zoom';
import {DevSecrets, ensureDevSecrets} from '../local/dev-secrets';
import {createArchiveStorage} from '../providers/storage/storage.factory';

/**
 * `npm run emulator`: the Vonage Video emulator on its own, for developers who
 * run their own service instance. The only module of the emulator that reads
 * the environment:
 *   EMULATOR_PORT (4010), EMULATOR_HOST, VONAGE_APPLICATION_ID, EMULATOR_PUBLIC_KEY
 *   or VONAGE_PRIVATE_KEY (PEM or path; the public half is derived),
 *   VONAGE_SIGNATURE_SECRET, VONAGE_API_KEY/SECRET, EMULATOR_CALLBACK_URL, DATA_DIR.
 * Whatever is unset comes from the development identity under DATA_DIR, the
 * same one `npm start` uses in local mode, so both agree without configuration.
 * `npm run emulator -- --zoom` runs the Zoom Video SDK emulator instead (runZoom).
 */
async function run(): Promise<void> {
  loadDotEnv();
  const config = loadEmulatorConfig(process.env);
  if (process.argv.includes('--zoom')) return runZoom(config);
  const publicKeyPem = config.publicKeyPem ?? (config.privateKeyPem ? publicHalf(config.privateKeyPem) : undefined);
  const needsDev = !publicKeyPem || !config.applicationId || !config.signatureSecret || !(config.apiKey && config.apiSecret);
  const dev = needsDev ? ensureDevSecrets(config.dataDir) : undefined;
  const applicationId = config.applicationId ?? dev!.vonageApplicationId;
  const apiKey = config.apiKey && config.apiSecret ? config.apiKey : dev!.vonageApiKey;
  const apiSecret = config.apiKey && config.apiSecret ? config.apiSecret : dev!.vonageApiSecret;

  const emulator = new VonageVideoEmulator({
    applicationId,
    applicationPublicKeyPem: publicKeyPem ?? dev!.vonagePublicKeyPem,
    apiKey,
    apiSecret,
    signatureSecret: config.signatureSecret ?? dev!.signatureSecret,
    callbackUrl: config.callbackUrl,
    storageFactory: createArchiveStorage,
    log: (message, fields) => process.stdout.write(`${JSON.stringify({msg: message, ...fields})}\n`),
  });
  const url = await emulator.start(config.port, config.host);
  process.stdout.write(`Vonage Video emulator listening on ${url} (application ${applicationId})\n`);
  if (!publicKeyPem) printDevInstructions(url, applicationId, apiKey, config.dataDir, dev!);
  else if (!config.signatureSecret) process.stdout.write(`Callbacks are signed with signatureSecret from ${path.join(config.dataDir, 'dev-secrets.json')}.\n`);
  if (!config.callbackUrl)
    process.stdout.write('No EMULATOR_CALLBACK_URL: callbacks are not sent (e.g. EMULATOR_CALLBACK_URL=http://127.0.0.1:3000/webhooks/session).\n');

  const stop = async () => {
    await emulator.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

/**
 * The Zoom emulator on ZOOM_EMULATOR_PORT (4011) with the ZOOM_* credentials, or the development ones
 * `npm start` uses. EMULATOR_CALLBACK_URL (e.g. http://127.0.0.1:3000/webhooks/zoom) is validated first, as Zoom does.
 */
async function runZoom(config: EmulatorConfig): Promise<void> {
  const dev = ensureDevSecrets(config.dataDir);
  const zoom = config.zoom;
  const emulator = new ZoomVideoEmulator({
    sdkKey: zoom.sdkKey ?? dev.zoomSdkKey,
    sdkSecret: zoom.sdkSecret ?? dev.zoomSdkSecret,
    apiKey: zoom.apiKey ?? dev.zoomApiKey,
    apiSecret: zoom.apiSecret ?? dev.zoomApiSecret,
    webhookSecretToken: zoom.webhookSecretToken ?? dev.zoomWebhookSecretToken,
    storageFactory: createArchiveStorage,
    log: (message, fields) => process.stdout.write(`${JSON.stringify({msg: message, ...fields})}\n`),
  });
  const url = await emulator.start(zoom.port, config.host);
  process.stdout.write(
    `Zoom Video SDK emulator listening on ${url} (ZOOM_API_HOST=${url}; unset ZOOM_* come from ${path.join(config.dataDir, 'dev-secrets.json')})\n`,
  );
  if (config.callbackUrl) await emulator.setCallbackUrl(config.callbackUrl);
  else process.stdout.write('No EMULATOR_CALLBACK_URL: webhooks are not sent (e.g. EMULATOR_CALLBACK_URL=http://127.0.0.1:3000/webhooks/zoom).\n');
  const stop = async () => {
    await emulator.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

function publicHalf(privateKeyPem: string): string {
  try {
    return createPublicKey(privateKeyPem).export({type: 'spki', format: 'pem'}).toString();
  } catch {
    throw new ConfigError('VONAGE_PRIVATE_KEY', 'is not a readable private key (PEM)');
  }
}

/** Writes the development key pair under DATA_DIR/emulator (0600) and says how to point a service at it. */
function printDevInstructions(url: string, applicationId: string, apiKey: string, dataDir: string, dev: DevSecrets): void {
  const keyDir = path.join(dataDir, 'emulator');
  fs.mkdirSync(keyDir, {recursive: true, mode: 0o700});
  const privateKeyFile = path.join(keyDir, 'private.key');
  fs.writeFileSync(privateKeyFile, dev.vonagePrivateKeyPem, {mode: 0o600});
  fs.writeFileSync(path.join(keyDir, 'public.key'), dev.vonagePublicKeyPem, {mode: 0o644});
  const secretsFile = path.join(dataDir, 'dev-secrets.json');
  process.stdout.write(
    [
      `No key configured: using the development key pair in ${keyDir}`,
      'Point a service at this emulator with:',
      `  VONAGE_APPLICATION_ID=${applicationId}`,
      `  VONAGE_PRIVATE_KEY=${privateKeyFile}`,
      `  VONAGE_VIDEO_HOST=${url}`,
      `  VONAGE_API_HOST=${url}`,
      `  VONAGE_API_KEY=${apiKey}  VONAGE_API_SECRET=<vonageApiSecret in ${secretsFile}>`,
      `  VONAGE_SIGNATURE_SECRET=<signatureSecret in ${secretsFile}>`,
      '',
    ].join('\n'),
  );
}

run().catch(error => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : `Emulator failed: ${(error as Error).message}`}\n`);
  process.exit(1);
});
