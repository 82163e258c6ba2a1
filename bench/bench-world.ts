import {createPublicKey, generateKeyPairSync, randomBytes, randomUUID} from 'node:crypto';
import jwt from 'jsonwebtoken';
import {ALL_PERMISSIONS} from '../src/auth/permissions';
import {VonageVideoEmulator} from '../src/emulator';
import {BENCH_DATABASE} from './bench-db';

/** What every bench run stands on: a Vonage application played by the emulator, secrets, a bearer token. */
export interface BenchWorld {
  applicationId: string;
  privateKeyPem: string;
  jwtSecret: string;
  signatureSecret: string;
  emulator: VonageVideoEmulator;
  emulatorUrl: string;
  emulatorPort: number;
  /** `Bearer <jwt>` with every permission. */
  bearer: string;
  /** The service's environment as production runs it, on `port`, plus `extra`. */
  serviceEnv(port: number, extra?: Record<string, string>): Record<string, string>;
}

export async function startBenchWorld(): Promise<BenchWorld> {
  const keys = generateKeyPairSync('rsa', {modulusLength: 2048});
  const privateKeyPem = keys.privateKey.export({type: 'pkcs8', format: 'pem'}).toString();
  const applicationId = randomUUID();
  const jwtSecret = randomBytes(32).toString('hex');
  const signatureSecret = randomBytes(32).toString('hex');
  const storageKey = randomBytes(32).toString('hex');
  const emulator = new VonageVideoEmulator({
    applicationId,
    applicationPublicKeyPem: createPublicKey(privateKeyPem).export({type: 'spki', format: 'pem'}).toString(),
  });
  const emulatorUrl = await emulator.start();
  const bearer = `Bearer ${jwt.sign({id: 'bench-user', permissions: ALL_PERMISSIONS}, jwtSecret, {algorithm: 'HS256', expiresIn: 3600})}`;
  return {
    applicationId,
    privateKeyPem,
    jwtSecret,
    signatureSecret,
    emulator,
    emulatorUrl,
    emulatorPort: Number(new URL(emulatorUrl).port),
    bearer,
    serviceEnv: (port, extra = {}) => ({
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DB_HOST: BENCH_DATABASE.host,
      DB_PORT: String(BENCH_DATABASE.port),
      DB_USER: BENCH_DATABASE.user,
      DB_DATABASE: BENCH_DATABASE.database,
      DB_SCHEMA: BENCH_DATABASE.schema,
      DB_POOL_MAX: '10',
      JWT_SECRET: jwtSecret,
      VONAGE_APPLICATION_ID: applicationId,
      VONAGE_PRIVATE_KEY: privateKeyPem,
      VONAGE_VIDEO_HOST: emulatorUrl,
      VONAGE_SIGNATURE_SECRET: signatureSecret,
      STORAGE_ENCRYPTION_KEY: storageKey,
      ...extra,
    }),
  };
}
