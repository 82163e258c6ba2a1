import {createPublicKey} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {loadDotEnv} from '../config/load-dotenv';
import {loadEmulatorConfig} from '../config/emulator-config';
import {ConfigError} from '../config/service-config';
import {VonageVideoEmulator} from '../emulator';
import {ensureDevSecrets} from '../local/dev-secrets';
import {createArchiveStorage} from '../providers/storage/storage.factory';

/**
 * `npm run emulator`: the Vonage Video emulator on its own, for frontend developers
 * who run their own service instance. Without Vonage variables it uses the same
 * development identity as `npm start` (under DATA_DIR).
 */
async function run(): Promise<void> {
  loadDotEnv();
  const config = loadEmulatorConfig(process.env);
  const dev = config.applicationId ? undefined : ensureDevSecrets(config.dataDir);
  const applicationId = config.applicationId ?? dev!.vonageApplicationId;
  const privateKeyPem = config.privateKeyPem ?? dev?.vonagePrivateKeyPem;
  if (!privateKeyPem) throw new ConfigError('VONAGE_PRIVATE_KEY', 'is required with VONAGE_APPLICATION_ID (the emulator checks signatures with its public half)');
  const emulator = new VonageVideoEmulator({
    applicationId,
    applicationPublicKeyPem: createPublicKey(privateKeyPem).export({type: 'spki', format: 'pem'}).toString(),
    apiKey: config.apiKey ?? dev?.vonageApiKey,
    apiSecret: config.apiSecret ?? dev?.vonageApiSecret,
    signatureSecret: config.signatureSecret ?? dev?.signatureSecret,
    callbackUrl: config.callbackUrl,
    storageFactory: createArchiveStorage,
    log: (message, fields) => process.stdout.write(`${JSON.stringify({msg: message, ...fields})}\n`),
  });
  const url = await emulator.start(config.port, config.host);
  process.stdout.write(`Vonage Video emulator listening on ${url}\n`);
  if (dev) {
    const keyFile = path.join(config.dataDir, 'emulator-private.key');
    fs.writeFileSync(keyFile, dev.vonagePrivateKeyPem, {mode: 0o600});
    process.stdout.write(
      [
        'Point a service at it with:',
        `  VONAGE_APPLICATION_ID=${applicationId}`,
        `  VONAGE_PRIVATE_KEY=${keyFile}`,
        `  VONAGE_VIDEO_HOST=${url}`,
        `  VONAGE_API_HOST=${url}  VONAGE_API_KEY=${dev.vonageApiKey}  VONAGE_API_SECRET=(in ${config.dataDir}/dev-secrets.json)`,
        `  VONAGE_SIGNATURE_SECRET=(in ${config.dataDir}/dev-secrets.json)`,
        'and set EMULATOR_CALLBACK_URL=http://<service>/webhooks/session here to receive callbacks.',
        '',
      ].join('\n'),
    );
  }
  const stop = async () => {
    await emulator.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

run().catch(error => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : `Emulator failed: ${(error as Error).message}`}\n`);
  process.exit(1);
});
