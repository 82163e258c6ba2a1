import {Constructor} from '@loopback/core';
import {Client, supertest} from '@loopback/testlab';
import {createPublicKey} from 'node:crypto';
import {VideoConferencingApplication} from '../../application';
import type {ServiceConfig} from '../../config/service-config';
import {EnvReader} from '../../config/env-reader';
import {readEventsConfig} from '../../config/events-config';
import {VonageVideoEmulator} from '../../emulator';
import {ZoomVideoEmulator} from '../../emulator/zoom';
import {ServiceDependencyOverrides} from '../../bindings';
import {createLogger} from '../../logging/logger';
import {createArchiveStorage} from '../../providers/storage/storage.factory';
import {registerVideoProvider, VideoProviderRegistration} from '../../providers/video/provider-registration';
import {TEST_DATABASE, ensureTestDatabase} from '../fixtures/postgres';
import {TEST_API_KEY, TEST_API_SECRET, TEST_APPLICATION_ID, TEST_SIGNATURE_SECRET, testKeys} from '../fixtures/vonage-test-keys';
import {TEST_JWT_ISSUER, TEST_JWT_SECRET} from './auth.helper';

export const TEST_STORAGE_KEY = Buffer.alloc(32, 9);

export interface TestApp {
  app: VideoConferencingApplication;
  client: Client;
  emulator: VonageVideoEmulator;
  /** Only with `zoom: true`. */
  zoom?: ZoomVideoEmulator;
  config: ServiceConfig;
  url: string;
  stop(): Promise<void>;
}

/** A complete config for tests: local PostgreSQL, the emulator as Vonage, fixed secrets. */
export function givenServiceConfig(vonageUrl: string, change: (config: ServiceConfig) => void = () => {}): ServiceConfig {
  const config: ServiceConfig = {
    nodeEnv: 'test',
    isProduction: false,
    port: 0,
    host: '127.0.0.1',
    http: {headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, maxConnections: 1_000, explorerEnabled: true},
    dataDir: '/tmp/vcs-test-data',
    logLevel: 'silent',
    workers: 1,
    tokenSigningThreads: 0,
    database: {...TEST_DATABASE},
    auth: {algorithm: 'HS256', secret: TEST_JWT_SECRET, issuer: TEST_JWT_ISSUER, maxTtlSeconds: 86400},
    video: {
      defaultProvider: 'vonage',
      vonage: {
        applicationId: TEST_APPLICATION_ID,
        privateKeyPem: testKeys().privateKeyPem,
        videoHost: vonageUrl,
        apiHost: vonageUrl,
        apiKey: TEST_API_KEY,
        apiSecret: TEST_API_SECRET,
        timeoutMs: 2000,
        signatureSecrets: [TEST_SIGNATURE_SECRET],
      },
    },
    webhooks: {allowUnsigned: false, toleranceSeconds: 300},
    timeToStartMinutes: 10,
    storage: {encryptionKey: TEST_STORAGE_KEY, downloadUrlTtlSeconds: 900, awsRegion: 'us-east-1'},
    teardownSafetyNetSeconds: 1,
    presenceReconcileSeconds: 60,
    lobbyWaitSeconds: 600,
    lifecycleMinuteSeconds: 60,
    emulatorPort: 0,
    callbackRetentionDays: 30,
    outbound: {restrictPrivateAddresses: false, allowedHosts: []},
    events: {...readEventsConfig(new EnvReader({})), pollIntervalMs: 100},
    metrics: {enabled: true},
    shutdownDrainSeconds: 0,
  };
  change(config);
  return config;
}

export interface SetupApplicationOptions {
  configure?: (config: ServiceConfig) => void;
  overrides?: ServiceDependencyOverrides;
  /** `false` answers every request through LoopBack's full sequence. */
  fastLane?: boolean;
  /** Test-only controllers, bound after boot as the booter binds the real ones. */
  controllers?: Constructor<object>[];
  /** More video providers, registered through the same extension point as the real ones. */
  providers?: VideoProviderRegistration[];
  /** Configures Zoom too, played by an in-process Zoom emulator (`TestApp.zoom`). */
  zoom?: boolean;
}

/** Credentials of the test Zoom app (never real ones). */
export const TEST_ZOOM = {
  sdkKey: 'test-zoom-sdk-key',
  sdkSecret: 'test-zoom-sdk-secret-0123456789',
  apiKey: 'test-zoom-api-key',
  apiSecret: 'test-zoom-api-secret-0123456789',
  webhookSecretToken: 'test-zoom-webhook-secret-token',
} as const;

/**
 * Boots the real application against the test database and an in-process
 * Vonage emulator that checks our RS256 auth as Vonage does.
 */
export async function setupApplication(options: SetupApplicationOptions = {}): Promise<TestApp> {
  await ensureTestDatabase();
  const emulator = new VonageVideoEmulator({
    applicationId: TEST_APPLICATION_ID,
    applicationPublicKeyPem: createPublicKey(testKeys().privateKeyPem).export({type: 'spki', format: 'pem'}).toString(),
    apiKey: TEST_API_KEY,
    apiSecret: TEST_API_SECRET,
    signatureSecret: TEST_SIGNATURE_SECRET,
    storageFactory: createArchiveStorage,
    // Files done at once; idle stops and session ends keep Vonage's minute unless a test shortens them.
    timing: {archiveProcessingMs: 20},
  });
  const emulatorUrl = await emulator.start(0, '127.0.0.1');
  const zoom = options.zoom ? new ZoomVideoEmulator({...TEST_ZOOM, storageFactory: createArchiveStorage, timing: {recordingProcessingMs: 20}}) : undefined;
  const zoomUrl = zoom ? await zoom.start(0, '127.0.0.1') : undefined;
  const config = givenServiceConfig(emulatorUrl, config => {
    if (zoomUrl) {
      const {sdkKey, sdkSecret, apiKey, apiSecret, webhookSecretToken} = TEST_ZOOM;
      config.video.zoom = {sdkKey, sdkSecret, apiKey, apiSecret, webhookSecretTokens: [webhookSecretToken], apiHost: zoomUrl, timeoutMs: 2000};
    }
    options.configure?.(config);
  });
  const app = new VideoConferencingApplication({
    serviceConfig: config,
    overrides: {logger: createLogger('silent'), jobPollingIntervalSeconds: 0.5, ...options.overrides},
    fastLane: options.fastLane,
  });
  for (const registration of options.providers ?? []) registerVideoProvider(app, registration);
  try {
    await app.boot();
    for (const controller of options.controllers ?? []) app.controller(controller);
    await app.startOrUndo();
  } catch (error) {
    // The application stops what it had started; the emulators are ours to stop.
    await emulator.stop();
    await zoom?.stop();
    throw error;
  }
  const url = app.url!;
  emulator.setCallbackUrl(`${url}/webhooks/vonage`);
  await zoom?.setCallbackUrl(`${url}/webhooks/zoom`);
  return {
    app,
    client: supertest(url),
    emulator,
    zoom,
    config,
    url,
    stop: async () => {
      await app.stop();
      await emulator.stop();
      await zoom?.stop();
    },
  };
}
