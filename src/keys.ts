import {BindingKey} from '@loopback/core';
import type {ServiceConfig} from './config/service-config';
import type {Logger} from './logging/logger';
import type {VideoProviders} from './providers/video/video-providers';
import type {ArchiveStorageFactory} from './providers/storage/types';
import type {SecretBox} from './crypto/secret-box';
import type {BearerTokenVerifier} from './auth/bearer-token.verifier';
import type {TransactionRunner} from './repositories/transaction';
import type {JobQueue} from './jobs/job-queue';
import type {JobHandler} from './jobs/job-handler';
import type {Authorizer} from '@loopback/authorization';
import type {Clock} from './utils/clock';
import type {OutboundGuard} from './outbound/outbound-guard';
import type {ServiceMetrics} from './metrics/service-metrics';
import type {LocalMetrics, MetricsExposition} from './metrics/exposition';
import type {Readiness} from './health/readiness';

/** The one listening socket, as the application asks it where it listens. */
export interface ListeningServer {
  /** `http://host:port` while listening. */
  readonly url: string | undefined;
  readonly port: number | undefined;
}

/** Every binding key of the service lives here, namespaced by concern. */
export namespace ConfigBindings {
  export const SERVICE_CONFIG = BindingKey.create<ServiceConfig>('config.service');
}

export namespace LoggingBindings {
  export const LOGGER = BindingKey.create<Logger>('logging.logger');
}

export namespace UtilBindings {
  export const CLOCK = BindingKey.create<Clock>('utils.clock');
}

export namespace AuthBindings {
  export const BEARER_VERIFIER = BindingKey.create<BearerTokenVerifier>('auth.bearer-verifier');
  export const PERMISSION_AUTHORIZER = BindingKey.create<Authorizer>('auth.authorizers.permission');
}

export namespace VideoBindings {
  /** Every configured provider by name; the default one is `VIDEO_PROVIDER`'s. */
  export const PROVIDERS = BindingKey.create<VideoProviders>('video.providers-by-name');
}

export namespace RepositoryBindings {
  export const TRANSACTIONS = BindingKey.create<TransactionRunner>('repositories.transactions');
}

export namespace StorageBindings {
  export const STORAGE_FACTORY = BindingKey.create<ArchiveStorageFactory>('storage.factory');
  export const SECRET_BOX = BindingKey.create<SecretBox>('storage.secret-box');
}

export namespace OutboundBindings {
  /** Decides which addresses the service may connect to on an administrator's word. */
  export const GUARD = BindingKey.create<OutboundGuard>('outbound.guard');
}

export namespace HttpBindings {
  /** The listening server: `@fastLane()` methods in the lean lane, the rest through LoopBack. */
  export const ENTRY_SERVER = BindingKey.create<ListeningServer>('http.entry-server');
  /** Off only in tests that compare the lane's answers with LoopBack's full sequence. */
  export const FAST_LANE_ENABLED = BindingKey.create<boolean>('http.fast-lane.enabled');
}

export namespace JobBindings {
  export const QUEUE = BindingKey.create<JobQueue>('jobs.queue');
  /** Extension point of every `JobHandler` (`asJobHandler` tags them); the jobs observer finds them by it. */
  export const HANDLERS = 'jobs.handlers';
  export const handler = (name: string) => BindingKey.create<JobHandler>(`${HANDLERS}.${name}`);
}

export namespace MetricsBindings {
  /** Every metric family of the service, in the application's registry. */
  export const METRICS = BindingKey.create<ServiceMetrics>('metrics.service');
  /** This process's metrics as a scrape reads them (collectors run first). */
  export const LOCAL = BindingKey.create<LocalMetrics>('metrics.local');
  /** What `/metrics` answers: this process's metrics, or in a cluster worker every worker's, from the primary. */
  export const EXPOSITION = BindingKey.create<MetricsExposition>('metrics.exposition');
  /** The listener of `METRICS_PORT`, when one is configured. */
  export const SERVER = BindingKey.create<ListeningServer>('metrics.server');
}

export namespace HealthBindings {
  /** Whether a load balancer should send traffic: started, not draining, database reachable. */
  export const READINESS = BindingKey.create<Readiness>('health.readiness');
}

/** LoopBack datasource name; the config key `datasources.config.pg` is derived from it. */
export const PG_DATASOURCE_NAME = 'pg';
