import path from 'node:path';
import {ConfigError, EnvReader} from './env-reader';
import {HttpConfig, readHttpConfig} from './http-config';
import {readVideoConfig, VideoConfig} from './video-config';
import {OutboundConfig, readOutboundConfig} from './outbound-config';
import {EventsConfig, readEventsConfig} from './events-config';
import {MetricsConfig, readMetricsConfig} from './metrics-config';

export {ConfigError} from './env-reader';
export type {VideoConfig, VonageConfig} from './video-config';
export type {OutboundConfig} from './outbound-config';
export type {HttpConfig} from './http-config';
export type {EventsConfig} from './events-config';
export type {MetricsConfig} from './metrics-config';

/** Where the database comes from: a configured server or the embedded one under `DATA_DIR`. */
export type DatabaseMode = 'external' | 'embedded';

export interface DatabaseConfig {
  mode: DatabaseMode;
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  /** PostgreSQL schema holding every table of the service (never hard-coded in SQL). */
  schema: string;
  /** Upper bound of the connection pool of one replica. */
  poolMax: number;
  /** How long a request waits for a pooled connection before it answers 503 (DB_POOL_WAIT_MS). */
  poolWaitMs: number;
  /** PostgreSQL `statement_timeout` of every pooled connection; covers waiting for locks (DB_STATEMENT_TIMEOUT_MS). */
  statementTimeoutMs: number;
}

export interface AuthConfig {
  algorithm: 'HS256' | 'RS256';
  /** HS256 shared secret; absent in zero-config mode until a development secret is generated. */
  secret?: string;
  /** RS256 public key (PEM) of an external auth service. */
  publicKeyPem?: string;
  issuer?: string;
  /** Required `aud` of every token, when set. */
  audience?: string;
  /** Longest lifetime (`exp` − `iat`) a token may claim; longer-lived or undated tokens are refused. */
  maxTtlSeconds: number;
}

/** Rules every provider's callbacks share. */
export interface WebhookConfig {
  allowUnsigned: boolean;
  toleranceSeconds: number;
}

export interface StorageConfig {
  /** 32-byte AES-256-GCM key for storage credentials at rest; generated under DATA_DIR in zero-config mode. */
  encryptionKey?: Buffer;
  downloadUrlTtlSeconds: number;
  awsAccessKeyId?: string;
  awsSecretAccessKey?: string;
  awsRegion: string;
  azureAccountKey?: string;
}

export interface ServiceConfig {
  nodeEnv: string;
  isProduction: boolean;
  port: number;
  host?: string;
  http: HttpConfig;
  dataDir: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Worker processes for the HTTP server (1 = no cluster). */
  workers: number;
  /** Threads per process that sign join tokens (0 = on the event loop; default 1). */
  tokenSigningThreads: number;
  database: DatabaseConfig;
  auth: AuthConfig;
  video: VideoConfig;
  webhooks: WebhookConfig;
  /** How many minutes before `scheduleTime` a scheduled meeting admits attendees. */
  timeToStartMinutes: number;
  storage: StorageConfig;
  /** Seconds a queued teardown waits behind the inline attempt before it checks the work. */
  teardownSafetyNetSeconds: number;
  /**
   * Seconds between two comparisons of a live meeting's attendees with its provider's participants
   * (`PRESENCE_RECONCILE_SECONDS`); also how long after its end the one final check waits.
   */
  presenceReconcileSeconds: number;
  /** Seconds a lobby request waits for a decision before it expires (LOBBY_WAIT_SECONDS). */
  lobbyWaitSeconds: number;
  /**
   * Seconds in one minute of `maxDurationMinutes` and `endWhenEmptyMinutes` (LIFECYCLE_MINUTE_SECONDS, default 60):
   * tests shorten it so a limit is reached in seconds. Not for production.
   */
  lifecycleMinuteSeconds: number;
  /** Port of the in-process Vonage emulator in local mode (0 = any free port). */
  emulatorPort: number;
  /**
   * Port of the in-process Zoom emulator in local mode (`ZOOM_EMULATOR_PORT`, 0 = any free port). Unset: the
   * Vonage emulator's port + 1, or any free port when that one is taken (or the Vonage one is 0).
   */
  zoomEmulatorPort?: number;
  /** Days callback records are kept (they make redeliveries idempotent and serve as an audit trail). */
  callbackRetentionDays: number;
  /** Where the service may connect on an administrator's word (storage endpoints). */
  outbound: OutboundConfig;
  /** The event log and webhook subscriptions' deliveries. */
  events: EventsConfig;
  /** Prometheus metrics: on or off, and on which port. */
  metrics: MetricsConfig;
  /**
   * Seconds between SIGTERM and closing the listener, during which `/ready` answers 503 while requests are still
   * served, so a load balancer stops sending traffic first (`SHUTDOWN_DRAIN_SECONDS`; Ctrl-C skips it).
   */
  shutdownDrainSeconds: number;
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

/**
 * Parses and validates the environment once. Throws a ConfigError naming the
 * variable at fault, so a bad value stops the start instead of failing later.
 */
export function loadServiceConfig(env: NodeJS.ProcessEnv): ServiceConfig {
  const read = new EnvReader(env);
  const nodeEnv = read.string('NODE_ENV') ?? 'development';
  const isProduction = nodeEnv === 'production';
  const dataDir = path.resolve(read.string('DATA_DIR') ?? '.data');

  const dbHost = read.string('DB_HOST');
  const database: DatabaseConfig = {
    mode: dbHost ? 'external' : 'embedded',
    host: dbHost ?? '127.0.0.1',
    port: read.port('DB_PORT') ?? 5432,
    user: read.string('DB_USER') ?? 'postgres',
    password: read.string('DB_PASSWORD'),
    database: read.string('DB_DATABASE') ?? 'video_conferencing',
    schema: read.identifier('DB_SCHEMA') ?? 'main',
    poolMax: read.integer('DB_POOL_MAX', {min: 1, max: 200}) ?? 10,
    poolWaitMs: read.integer('DB_POOL_WAIT_MS', {min: 1, max: 600_000}) ?? 3000,
    statementTimeoutMs: read.integer('DB_STATEMENT_TIMEOUT_MS', {min: 1, max: 3_600_000}) ?? 10_000,
  };
  if (isProduction && database.mode === 'embedded') {
    throw new ConfigError('DB_HOST', 'is required when NODE_ENV=production (the embedded database is for development)');
  }

  const auth = readAuth(read, isProduction);
  const video = readVideoConfig(read, isProduction);

  const webhooks: WebhookConfig = {
    allowUnsigned: read.boolean('WEBHOOK_ALLOW_UNSIGNED') ?? false,
    toleranceSeconds: read.integer('WEBHOOK_TOLERANCE_SECONDS', {min: 1, max: 86400}) ?? 300,
  };
  if (isProduction && webhooks.allowUnsigned) {
    throw new ConfigError('WEBHOOK_ALLOW_UNSIGNED', 'must not be true when NODE_ENV=production: anyone could forge provider callbacks');
  }

  const storage: StorageConfig = {
    encryptionKey: read.key32('STORAGE_ENCRYPTION_KEY'),
    downloadUrlTtlSeconds: read.integer('DOWNLOAD_URL_TTL_SECONDS', {min: 60, max: 7 * 86400}) ?? 900,
    awsAccessKeyId: read.string('AWS_ACCESS_KEY_ID'),
    awsSecretAccessKey: read.string('AWS_SECRET_ACCESS_KEY'),
    awsRegion: read.string('AWS_REGION') ?? 'us-east-1',
    azureAccountKey: read.string('AZURE_STORAGE_ACCOUNT_KEY'),
  };
  if (isProduction && !storage.encryptionKey) {
    throw new ConfigError('STORAGE_ENCRYPTION_KEY', 'is required when NODE_ENV=production');
  }

  const port = read.port('PORT') ?? 3000;
  return {
    nodeEnv,
    isProduction,
    port,
    host: read.string('HOST'),
    http: readHttpConfig(read, isProduction),
    dataDir,
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS) ?? 'info',
    workers: read.integer('WORKERS', {min: 1, max: 64}) ?? 1,
    // One thread by default: an RS256 signature (about 1 ms) then never holds up the event loop's other requests.
    tokenSigningThreads: read.integer('TOKEN_SIGNING_THREADS', {min: 0, max: 64}) ?? 1,
    database,
    auth,
    video,
    webhooks,
    timeToStartMinutes: read.integer('TIME_TO_START', {min: 0, max: 7 * 24 * 60}) ?? 10,
    storage,
    teardownSafetyNetSeconds: read.integer('TEARDOWN_SAFETY_NET_SECONDS', {min: 1, max: 3600}) ?? 30,
    presenceReconcileSeconds: read.integer('PRESENCE_RECONCILE_SECONDS', {min: 1, max: 86400}) ?? 60,
    lobbyWaitSeconds: read.integer('LOBBY_WAIT_SECONDS', {min: 1, max: 86_400}) ?? 600,
    lifecycleMinuteSeconds: read.integer('LIFECYCLE_MINUTE_SECONDS', {min: 1, max: 60}) ?? 60,
    emulatorPort: read.port('EMULATOR_PORT') ?? 4010,
    zoomEmulatorPort: read.port('ZOOM_EMULATOR_PORT'),
    callbackRetentionDays: read.integer('WEBHOOK_RETENTION_DAYS', {min: 1, max: 3650}) ?? 30,
    outbound: readOutboundConfig(read, isProduction),
    events: readEventsConfig(read),
    metrics: readMetricsConfig(read, isProduction, port),
    shutdownDrainSeconds: read.integer('SHUTDOWN_DRAIN_SECONDS', {min: 0, max: 300}) ?? 5,
  };
}

function readAuth(read: EnvReader, isProduction: boolean): AuthConfig {
  const secret = read.string('JWT_SECRET');
  const publicKeyPem = read.pemOrPath('JWT_PUBLIC_KEY');
  const issuer = read.string('JWT_ISSUER');
  const audience = read.string('JWT_AUDIENCE');
  const maxTtlSeconds = read.integer('JWT_MAX_TTL_SECONDS', {min: 60, max: 365 * 86400}) ?? 86400;
  if (secret && publicKeyPem) {
    throw new ConfigError('JWT_PUBLIC_KEY', 'cannot be combined with JWT_SECRET: choose HS256 or RS256');
  }
  if (secret && secret.length < 32) {
    throw new ConfigError('JWT_SECRET', 'must be at least 32 characters long');
  }
  if (publicKeyPem) {
    return {algorithm: 'RS256', publicKeyPem, issuer, audience, maxTtlSeconds};
  }
  if (!secret && isProduction) {
    throw new ConfigError('JWT_SECRET', 'is required when NODE_ENV=production (or set JWT_PUBLIC_KEY)');
  }
  return {algorithm: 'HS256', secret, issuer, audience, maxTtlSeconds};
}
