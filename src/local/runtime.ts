import {createPublicKey} from 'node:crypto';
import type {ServiceConfig} from '../config/service-config';
import {migrateUp} from '../db/migrate';
import {VonageVideoEmulator} from '../emulator';
import {ZoomVideoEmulator} from '../emulator/zoom';
import type {Logger} from '../logging/logger';
import {createArchiveStorage} from '../providers/storage/storage.factory';
import {ensureDevSecrets} from './dev-secrets';
import {startEmbeddedDatabase} from './embedded-database';

/** The configuration the app runs with, plus what local mode started for it. */
export interface PreparedRuntime {
  config: ServiceConfig;
  /** Tells the local emulator where the service now listens. */
  onListening(serviceUrl: string): void;
  stop(): Promise<void>;
}

/**
 * Fills what zero-config development leaves unset: an embedded database with
 * the migrations applied, generated secrets, a local Vonage emulator, and with VIDEO_PROVIDER=zoom a local
 * Zoom emulator too.
 */
export async function prepareRuntime(config: ServiceConfig, logger: Logger): Promise<PreparedRuntime> {
  const stops: Array<() => Promise<void>> = [];
  const resolved: ServiceConfig = {...config};
  const needsDevSecrets = !config.auth.secret && !config.auth.publicKeyPem;
  // Zoom is emulated when it is the default provider and unconfigured; a Vonage-only local run stays as light as before.
  const emulateZoom = !config.video.zoom && config.video.defaultProvider === 'zoom';
  const secrets = needsDevSecrets || !config.video.vonage || emulateZoom || !config.storage.encryptionKey ? ensureDevSecrets(config.dataDir) : undefined;

  if (secrets && needsDevSecrets) {
    resolved.auth = {...resolved.auth, secret: secrets.jwtSecret};
    logger.info('using a generated development JWT secret; run `npm run token` for a bearer token with every permission');
  }
  if (secrets && !config.storage.encryptionKey) {
    resolved.storage = {...resolved.storage, encryptionKey: Buffer.from(secrets.storageEncryptionKeyHex, 'hex')};
  }

  if (config.database.mode === 'embedded') {
    const db = await startEmbeddedDatabase(config.dataDir, config.database.database);
    stops.push(() => db.stop());
    resolved.database = {...resolved.database, host: db.host, port: db.port, user: db.user, password: db.password};
    const applied = await migrateUp({connection: resolved.database, schema: resolved.database.schema});
    logger.info('embedded PostgreSQL database in use (DB_HOST is unset)', {
      dataDir: config.dataDir,
      databaseDir: db.databaseDir,
      port: db.port,
      migrationsApplied: applied.length,
    });
  }

  let emulator: VonageVideoEmulator | undefined;
  if (!config.video.vonage && secrets) {
    emulator = new VonageVideoEmulator({
      applicationId: secrets.vonageApplicationId,
      applicationPublicKeyPem: createPublicKey(secrets.vonagePrivateKeyPem).export({type: 'spki', format: 'pem'}).toString(),
      apiKey: secrets.vonageApiKey,
      apiSecret: secrets.vonageApiSecret,
      signatureSecret: secrets.signatureSecret,
      storageFactory: createArchiveStorage,
      log: (message: string, fields?: object) => logger.debug(`emulator: ${message}`, fields as Record<string, unknown>),
    });
    const emulatorUrl = await emulator.start(config.emulatorPort, '127.0.0.1');
    const running = emulator;
    stops.unshift(() => running.stop());
    // The emulator signs callbacks with its own secret.
    resolved.video = {
      ...resolved.video,
      vonage: {
        applicationId: secrets.vonageApplicationId,
        privateKeyPem: secrets.vonagePrivateKeyPem,
        videoHost: emulatorUrl,
        apiHost: emulatorUrl,
        apiKey: secrets.vonageApiKey,
        apiSecret: secrets.vonageApiSecret,
        timeoutMs: 10000,
        signatureSecrets: [secrets.signatureSecret],
      },
    };
    logger.info('local Vonage Video emulator in use (VONAGE_APPLICATION_ID is unset)', {emulatorUrl});
  }

  let zoomEmulator: ZoomVideoEmulator | undefined;
  if (emulateZoom && secrets) {
    zoomEmulator = new ZoomVideoEmulator({
      sdkKey: secrets.zoomSdkKey,
      sdkSecret: secrets.zoomSdkSecret,
      apiKey: secrets.zoomApiKey,
      apiSecret: secrets.zoomApiSecret,
      webhookSecretToken: secrets.zoomWebhookSecretToken,
      storageFactory: createArchiveStorage,
      log: (message: string, fields?: object) => logger.debug(`zoom emulator: ${message}`, fields as Record<string, unknown>),
    });
    const apiHost = await startZoomEmulator(zoomEmulator, config);
    const running = zoomEmulator;
    stops.unshift(() => running.stop());
    resolved.video = {
      ...resolved.video,
      zoom: {
        sdkKey: secrets.zoomSdkKey,
        sdkSecret: secrets.zoomSdkSecret,
        apiKey: secrets.zoomApiKey,
        apiSecret: secrets.zoomApiSecret,
        webhookSecretTokens: [secrets.zoomWebhookSecretToken],
        apiHost,
        timeoutMs: 10000,
      },
    };
    logger.info('local Zoom Video SDK emulator in use (VIDEO_PROVIDER=zoom, ZOOM_SDK_KEY is unset)', {zoomApiHost: apiHost});
  }

  if (resolved.video.vonage?.signatureSecrets.length === 0 && resolved.webhooks.allowUnsigned) {
    logger.warn('WEBHOOK_ALLOW_UNSIGNED=true: callbacks are accepted without a signature');
  }

  return {
    config: resolved,
    onListening: serviceUrl => {
      emulator?.setCallbackUrl(`${serviceUrl}/webhooks/vonage`);
      // Zoom validates the endpoint first (a signed challenge the service answers); until then no webhook is sent.
      zoomEmulator
        ?.setCallbackUrl(`${serviceUrl}/webhooks/zoom`)
        .catch(error => logger.warn('the Zoom emulator could not validate the webhook endpoint', {error: (error as Error).message}));
    },
    stop: async () => {
      for (const stop of stops) await stop();
    },
  };
}

/**
 * `ZOOM_EMULATOR_PORT` when set; otherwise the Vonage emulator's port + 1, or any free port when that
 * one is taken (a developer's own port choice for Vonage must not make the start fail for Zoom).
 */
async function startZoomEmulator(emulator: ZoomVideoEmulator, config: ServiceConfig): Promise<string> {
  if (config.zoomEmulatorPort !== undefined) return emulator.start(config.zoomEmulatorPort, '127.0.0.1');
  const preferred = config.emulatorPort === 0 ? 0 : config.emulatorPort + 1;
  try {
    return await emulator.start(preferred, '127.0.0.1');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || preferred === 0) throw error;
    return emulator.start(0, '127.0.0.1');
  }
}
