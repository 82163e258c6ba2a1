import {Application, asLifeCycleObserver, BindingScope, CoreTags} from '@loopback/core';
import type {ServiceConfig} from './config/service-config';
import {pgDataSourceConfig} from './datasources/pg.datasource';
import {BearerTokenVerifier} from './auth/bearer-token.verifier';
import {SecretBox} from './crypto/secret-box';
import {JobsComponent} from './services/jobs.component';
import {PresenceReconcileTicker} from './services/presence/presence-reconcile.ticker';
import {EventsComponent} from './services/events/events.component';
import type {JobQueue} from './jobs/job-queue';
import {PgBossJobQueue} from './jobs/pg-boss.job-queue';
import {
  AuthBindings,
  ConfigBindings,
  HealthBindings,
  JobBindings,
  LoggingBindings,
  OutboundBindings,
  RepositoryBindings,
  StorageBindings,
  UtilBindings,
  VideoBindings,
} from './keys';
import {createLogger, Logger} from './logging/logger';
import {createArchiveStorage} from './providers/storage/storage.factory';
import type {ArchiveStorageFactory} from './providers/storage/types';
import {VIDEO_PROVIDER_EXTENSION_POINT, VideoProviderRegistration} from './providers/video/provider-registration';
import {VideoComponent} from './providers/video/video.component';
import {VideoProviders} from './providers/video/video-providers';
import type {VideoProvider} from './providers/video/types';
import {TransactionRunner} from './repositories/transaction';
import {OutboundGuard} from './outbound/outbound-guard';
import {Clock, systemClock} from './utils/clock';
import {bindMetrics} from './metrics/metrics.bindings';
import {measuredProvider} from './metrics/provider-metrics';
import {Readiness} from './health/readiness';

/** Defaults a test or local mode may replace. */
export interface ServiceDependencyOverrides {
  logger?: Logger;
  clock?: Clock;
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

  app.bind(RepositoryBindings.TRANSACTIONS).toClass(TransactionRunner).inScope(BindingScope.SINGLETON);
  app.bind(HealthBindings.READINESS).toClass(Readiness).inScope(BindingScope.SINGLETON);
  const metrics = bindMetrics(app, config, logger);
  // Every provider, whoever registered it, is measured the same way: a proxy over the contract's operations.
  const measure = metrics.enabled ? (provider: VideoProvider) => measuredProvider(provider, metrics.providers) : undefined;

  // Providers register through the extension point; the configured ones are built once, at start.
  app.component(VideoComponent);
  app
    .bind(VideoBindings.PROVIDERS)
    .toDynamicValue(async ({context}) => {
      const registrations = await Promise.all(
        context.findByTag({[CoreTags.EXTENSION_FOR]: VIDEO_PROVIDER_EXTENSION_POINT}).map(b => context.get<VideoProviderRegistration>(b.key)),
      );
      return new VideoProviders(registrations, config, clock, measure);
    })
    .inScope(BindingScope.SINGLETON)
    .apply(asLifeCycleObserver)
    .tag({[CoreTags.LIFE_CYCLE_OBSERVER_GROUP]: 'datasource'});
  const outbound = new OutboundGuard(config.outbound);
  app.bind(OutboundBindings.GUARD).to(outbound);
  app.bind(StorageBindings.STORAGE_FACTORY).to(overrides.storageFactory ?? (target => createArchiveStorage(target, {outbound})));
  if (config.storage.encryptionKey) {
    app.bind(StorageBindings.SECRET_BOX).to(new SecretBox(config.storage.encryptionKey));
  }

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
  // Every replica ticks at PRESENCE_RECONCILE_SECONDS; the per-minute pg-boss schedule alone could not.
  app.lifeCycleObserver(PresenceReconcileTicker);
  app.component(EventsComponent);
}
