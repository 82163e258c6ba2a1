import {Application} from '@loopback/core';
import type {ServiceConfig} from './config/service-config';
import {pgDataSourceConfig} from './datasources/pg.datasource';
import {BearerTokenVerifier} from './auth/bearer-token.verifier';
import {SecretBox} from './crypto/secret-box';
import {JobsComponent} from './jobs/jobs.component';
import type {JobQueue} from './jobs/job-queue';
import {PgBossJobQueue} from './jobs/pg-boss.job-queue';
import {AuthBindings, ConfigBindings, JobBindings, LoggingBindings, StorageBindings, UtilBindings, VideoBindings, WebhookBindings} from './keys';
import {createLogger, Logger} from './logging/logger';
import {createArchiveStorage} from './providers/storage/storage.factory';
import type {ArchiveStorageFactory} from './providers/storage/types';
import {VideoProviderObserver} from './providers/video/video-provider.observer';
import {createVideoProvider} from './providers/video/video-provider.registry';
import type {VideoProvider} from './providers/video/types';
import {Clock, systemClock} from './utils/clock';
import {CallbackVerifier} from './webhooks/callback-verifier';

/** Defaults a test or local mode may replace. */
export interface ServiceDependencyOverrides {
  logger?: Logger;
  clock?: Clock;
  videoProvider?: VideoProvider;
  storageFactory?: ArchiveStorageFactory;
  jobQueue?: JobQueue;
  /** Seconds between job polls; low in tests. */
  jobPollingIntervalSeconds?: number;
}

/** Binds every dependency from the validated config; nothing reads the environment here. */
export function bindServiceDependencies(app: Application, config: ServiceConfig, overrides: ServiceDependencyOverrides): void {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? systemClock;
  app.bind(ConfigBindings.SERVICE_CONFIG).to(config);
  app.bind(LoggingBindings.LOGGER).to(logger);
  app.bind(UtilBindings.CLOCK).to(clock);
  app.bind('datasources.config.pg').to(pgDataSourceConfig(config.database));
  app.bind(AuthBindings.BEARER_VERIFIER).to(new BearerTokenVerifier(config.auth));

  const provider = overrides.videoProvider ?? createVideoProvider(config);
  app.bind(VideoBindings.PROVIDER).to(provider);
  app.lifeCycleObserver(VideoProviderObserver);
  app.bind(StorageBindings.STORAGE_FACTORY).to(overrides.storageFactory ?? createArchiveStorage);
  if (config.storage.encryptionKey) {
    app.bind(StorageBindings.SECRET_BOX).to(new SecretBox(config.storage.encryptionKey));
  }
  app.bind(WebhookBindings.CALLBACK_VERIFIER).to(
    new CallbackVerifier({
      secrets: config.webhooks.signatureSecrets,
      applicationId: provider.applicationId,
      toleranceSeconds: config.webhooks.toleranceSeconds,
      allowUnsigned: config.webhooks.allowUnsigned,
      now: () => clock.now().getTime(),
    }),
  );

  const queue =
    overrides.jobQueue ??
    new PgBossJobQueue({
      connection: config.database,
      schema: `${config.database.schema}_jobs`,
      pollingIntervalSeconds: overrides.jobPollingIntervalSeconds ?? 2,
      logger,
    });
  app.bind(JobBindings.QUEUE).to(queue);
  app.component(JobsComponent);
}
