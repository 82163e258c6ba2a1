import {BindingKey} from '@loopback/core';
import type {ServiceConfig} from './config/service-config';
import type {Logger} from './logging/logger';
import type {VideoProvider} from './providers/video/types';
import type {ArchiveStorageFactory} from './providers/storage/types';
import type {SecretBox} from './crypto/secret-box';
import type {BearerTokenVerifier} from './auth/bearer-token.verifier';
import type {CallbackVerifier} from './webhooks/callback-verifier';
import type {JobQueue} from './jobs/job-queue';
import type {JobHandler} from './jobs/job-handler';
import type {Authorizer} from '@loopback/authorization';
import type {Clock} from './utils/clock';
import type {HotRoute} from './rest/hot-route-lane';
import type {HttpEntryServer} from './rest/http-entry.server';
import type {MeetingEndService} from './services/meeting-end.service';
import type {ArchivePurgeService} from './services/archive-purge.service';
import type {StorageTargetService} from './services/storage-target.service';
import type {ArchiveService} from './services/archive.service';
import type {VideoEventService} from './services/video-event.service';

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
  /** The provider selected by `VIDEO_PROVIDER`. */
  export const PROVIDER = BindingKey.create<VideoProvider>('video.provider');
}

export namespace StorageBindings {
  export const STORAGE_FACTORY = BindingKey.create<ArchiveStorageFactory>('storage.factory');
  export const SECRET_BOX = BindingKey.create<SecretBox>('storage.secret-box');
}

export namespace WebhookBindings {
  export const CALLBACK_VERIFIER = BindingKey.create<CallbackVerifier>('webhooks.callback-verifier');
}

export namespace ServiceBindings {
  export const MEETING_END = BindingKey.create<MeetingEndService>('services.MeetingEndService');
  export const ARCHIVE_PURGE = BindingKey.create<ArchivePurgeService>('services.ArchivePurgeService');
  export const STORAGE_TARGET = BindingKey.create<StorageTargetService>('services.StorageTargetService');
  export const ARCHIVE = BindingKey.create<ArchiveService>('services.ArchiveService');
  export const VIDEO_EVENTS = BindingKey.create<VideoEventService>('services.VideoEventService');
}

export namespace HttpBindings {
  /** The listening server: hot routes in the lean lane, the rest through LoopBack. */
  export const ENTRY_SERVER = BindingKey.create<HttpEntryServer>('http.entry-server');
  export const HOT_ROUTES = BindingKey.create<readonly HotRoute[]>('http.hot-routes');
}

export namespace JobBindings {
  export const QUEUE = BindingKey.create<JobQueue>('jobs.queue');
  /** Extension point of every `JobHandler` (`asJobHandler` tags them); the jobs observer finds them by it. */
  export const HANDLERS = 'jobs.handlers';
  export const handler = (name: string) => BindingKey.create<JobHandler>(`${HANDLERS}.${name}`);
}

/** LoopBack datasource name; the config key `datasources.config.pg` is derived from it. */
export const PG_DATASOURCE_NAME = 'pg';
