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
}

export const DEV_SECRETS_FILE = 'dev-secrets.json';

/** Reads the development secrets, generating any that are missing. */
export function ensureDevSecrets(dataDir: string): DevSecrets {
  const file = path.join(dataDir, DEV_SECRETS_FILE);
  const existing = readSecrets(file);
  if (existing) return existing;
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
