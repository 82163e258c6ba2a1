import {generateKeyPairSync, randomBytes, randomUUID} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Secrets generated once for zero-config development, kept under DATA_DIR (mode 0600). */
export interface DevSecrets {
  jwtSecret: string;
  signatureSecret: string;
  storageEncryptionKeyHex: string;
  vonageApplicationId: string;
  vonagePrivateKeyPem: string;
  vonagePublicKeyPem: string;
  vonageApiKey: string;
  vonageApiSecret: string;
  /** The Zoom emulator's Video SDK key pair (join tokens), API key pair (REST) and webhook secret token. */
  zoomSdkKey: string;
  zoomSdkSecret: string;
  zoomApiKey: string;
  zoomApiSecret: string;
  zoomWebhookSecretToken: string;
}

type ZoomDevSecrets = Pick<DevSecrets, 'zoomSdkKey' | 'zoomSdkSecret' | 'zoomApiKey' | 'zoomApiSecret' | 'zoomWebhookSecretToken'>;

function generateZoomSecrets(): ZoomDevSecrets {
  return {
    zoomSdkKey: randomBytes(16).toString('base64url'),
    zoomSdkSecret: randomBytes(32).toString('base64url'),
    zoomApiKey: randomBytes(16).toString('base64url'),
    zoomApiSecret: randomBytes(32).toString('base64url'),
    zoomWebhookSecretToken: randomBytes(16).toString('base64url'),
  };
}

export const DEV_SECRETS_FILE = 'dev-secrets.json';

/** Reads the development secrets, generating any that are missing. */
export function ensureDevSecrets(dataDir: string): DevSecrets {
  const file = path.join(dataDir, DEV_SECRETS_FILE);
  const existing = readSecrets(file);
  if (existing && existing.zoomSdkKey) return existing;
  if (existing) {
    // Written before the Zoom emulator existed: keep every secret and add Zoom's.
    const completed: DevSecrets = {...existing, ...generateZoomSecrets()};
    fs.writeFileSync(file, JSON.stringify(completed, null, 2), {mode: 0o600});
    return completed;
  }
  fs.mkdirSync(dataDir, {recursive: true, mode: 0o755});
  const keyPair = generateKeyPairSync('rsa', {modulusLength: 2048});
  const secrets: DevSecrets = {
    jwtSecret: randomBytes(32).toString('hex'),
    signatureSecret: randomBytes(32).toString('hex'),
    storageEncryptionKeyHex: randomBytes(32).toString('hex'),
    vonageApplicationId: randomUUID(),
    vonagePrivateKeyPem: keyPair.privateKey.export({type: 'pkcs8', format: 'pem'}).toString(),
    vonagePublicKeyPem: keyPair.publicKey.export({type: 'spki', format: 'pem'}).toString(),
    vonageApiKey: String(40000000 + Math.floor(Math.random() * 9999999)),
    vonageApiSecret: randomBytes(20).toString('hex'),
    ...generateZoomSecrets(),
  };
  fs.writeFileSync(file, JSON.stringify(secrets, null, 2), {mode: 0o600});
  return secrets;
}

export function readDevSecrets(dataDir: string): DevSecrets | undefined {
  return readSecrets(path.join(dataDir, DEV_SECRETS_FILE));
}

function readSecrets(file: string): DevSecrets | undefined {
  if (!fs.existsSync(file)) return undefined;
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<DevSecrets>;
  if (!parsed.jwtSecret || !parsed.vonagePrivateKeyPem || !parsed.vonagePublicKeyPem || !parsed.storageEncryptionKeyHex) {
    return undefined;
  }
  return parsed as DevSecrets;
}
