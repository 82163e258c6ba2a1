import {BindingScope, inject, injectable, service} from '@loopback/core';
import {repository} from '@loopback/repository';
import type {ServiceConfig} from '../../config/service-config';
import {ArchiveNotFoundError, ValidationError} from '../../errors/domain-errors';
import {ConfigBindings, LoggingBindings, RepositoryBindings, VideoBindings} from '../../keys';
import type {Logger} from '../../logging/logger';
import {describeError} from '../../logging/logger';
import type {ArchiveFile, ArchiveOutputMode, ArchiveStatus, ProviderArchive, VideoProvider} from '../../providers/video/types';
import type {VideoProviders} from '../../providers/video/video-providers';
import {ArchiveFilter, ArchiveRecord, ArchiveRepository} from '../../repositories/archive.repository';
import {MeetingRepository, MeetingSession} from '../../repositories/meeting.repository';
import {providerActor} from '../../repositories/outbox.repository';
import {TransactionRunner} from '../../repositories/transaction';
import {ArchiveStatusService} from './archive-status.service';
import {StorageTargetService} from './storage-target.service';

export interface ArchiveView {
  id: string;
  name: string | null;
  meetingLinkId: string | null;
  provider: string | null;
  sessionId: string;
  status: ArchiveStatus;
  outputMode: ArchiveOutputMode;
  createdAt: string;
  duration: number;
  size: number;
  uploadTarget: string | null;
  reason: string | null;
}

export interface ArchiveDetail extends ArchiveView {
  /** Time-limited download URL, when a copy can be downloaded. */
  downloadUrl: string | null;
  downloadUrlExpiresAt: string | null;
  /** Each file of a recording the provider made as several (empty otherwise), with its own URL. */
  files: ArchiveFileView[];
}

export interface ArchiveFileView {
  id: string;
  type: string;
  extension: string | null;
  size: number;
  downloadUrl: string | null;
}

type DownloadLinks = Pick<ArchiveDetail, 'downloadUrl' | 'downloadUrlExpiresAt' | 'files'>;

/** Provider pages read while reconciling one session (about a thousand archives). */
const MAX_RECONCILE_PAGES = 20;
/** Meetings reconciled by one scheduled run, most recently started first. */
const RECONCILE_MEETINGS_PER_RUN = 500;

/** Listing and inspecting the recordings of this service's meetings. */
@injectable({scope: BindingScope.SINGLETON})
export class ArchiveService {
  constructor(
    @repository(ArchiveRepository) private readonly archives: ArchiveRepository,
    @repository(MeetingRepository) private readonly meetings: MeetingRepository,
    @service(StorageTargetService) private readonly storageTargets: StorageTargetService,
    @service(ArchiveStatusService) private readonly archiveStatus: ArchiveStatusService,
    @inject(VideoBindings.PROVIDERS) private readonly providers: VideoProviders,
    @inject(RepositoryBindings.TRANSACTIONS) private readonly transactions: TransactionRunner,
    @inject(ConfigBindings.SERVICE_CONFIG) private readonly config: ServiceConfig,
    @inject(LoggingBindings.LOGGER) private readonly logger: Logger,
  ) {}

  async list(filter: ArchiveFilter): Promise<{count: number; items: ArchiveView[]}> {
    if (filter.provider !== undefined && !this.providers.all().some(provider => provider.name === filter.provider)) {
      const configured = this.providers.all().map(provider => provider.name);
      throw new ValidationError(`provider must be one of the providers this deployment configures: ${configured.join(', ')}`);
    }
    // A filter naming one meeting is cheap to reconcile with the provider's list.
    const meeting = filter.meetingLinkId
      ? await this.meetings.findSessionByLink(filter.meetingLinkId, filter.tenantId)
      : filter.sessionId
        ? await this.meetings.findSessionBySessionId(filter.sessionId, filter.tenantId)
        : null;
    if (meeting) await this.reconcileSession(meeting);
    const page = await this.archives.list(filter);
    return {count: page.total, items: page.items.map(toView)};
  }

  /** An archive of one of the tenant's meetings (null: of a meeting without a tenant). */
  async get(archiveId: string, tenantId: string | null): Promise<ArchiveDetail> {
    const scope = {tenantId};
    const record = (await this.archives.findByArchiveId(archiveId, scope)) ?? (await this.adoptFromProvider(archiveId, scope));
    if (!record || record.deleted) throw new ArchiveNotFoundError(archiveId);
    return {...toView(record), ...(await this.downloadLink(record))};
  }

  /**
   * Scheduled job: reconciles every recently active meeting, so unfiltered listings see lost archives
   * too; "recent" is the longest time a configured provider keeps what it recorded.
   */
  async reconcileRecentMeetings(): Promise<void> {
    const retentionHours = Math.max(...this.providers.all().map(p => p.capabilities.recordingRetentionHours));
    for (const meeting of await this.meetings.recentlyActive(RECONCILE_MEETINGS_PER_RUN, retentionHours)) {
      await this.reconcileSession(meeting);
    }
  }

  /** Pulls the provider's list for one session into our records (lost callbacks). */
  async reconcileSession(meeting: MeetingSession): Promise<void> {
    try {
      const provider = this.providers.get(meeting.provider);
      let cursor: string | null = null;
      for (let pageIndex = 0; pageIndex < MAX_RECONCILE_PAGES; pageIndex++) {
        const page = await provider.listArchives(meeting, cursor);
        for (const archive of page.items) await this.store(meeting, provider, archive);
        cursor = page.nextCursor;
        if (!cursor) break;
      }
    } catch (error) {
      // Serve what is recorded; the next listing tries again.
      this.logger.warn('archive reconciliation failed', {sessionId: meeting.sessionId, error: describeError(error as Error)});
    }
  }

  /** An archive we have no record of: asked of each configured provider, kept if it belongs to one of our meetings. */
  private async adoptFromProvider(archiveId: string, scope: {tenantId: string | null}): Promise<ArchiveRecord | null> {
    for (const provider of this.providers.all()) {
      let archive: ProviderArchive;
      try {
        archive = await provider.getArchive(archiveId);
      } catch (error) {
        if ((error as {code?: string}).code === 'PROVIDER_NOT_FOUND') continue;
        throw error;
      }
      const meeting = await this.meetings.findSession(provider.name, archive.sessionId);
      if (!meeting) return null; // Not one of ours: the project may hold other applications' archives.
      await this.store(meeting, provider, archive);
      return this.archives.findByArchiveId(archiveId, scope);
    }
    return null;
  }

  private async store(meeting: MeetingSession, provider: VideoProvider, archive: ProviderArchive): Promise<void> {
    await this.transactions.run(tx => this.archiveStatus.apply(tx, meeting, archive, providerActor(provider.name)));
  }

  private async downloadLink(record: ArchiveRecord): Promise<DownloadLinks> {
    const ttlSeconds = this.config.storage.downloadUrlTtlSeconds;
    const recordedFiles = (record.files ?? []).map(file => fileView(file, null));
    if (record.storageKey && record.location && !record.storageDeleted) {
      // Where it was uploaded, not where the target points now: the target may have moved since.
      const storage = await this.storageTargets.storageAt(record.location);
      if (storage) {
        const downloadUrl = await storage.presignDownload(record.storageKey, ttlSeconds);
        return {downloadUrl, downloadUrlExpiresAt: new Date(Date.now() + ttlSeconds * 1000).toISOString(), files: recordedFiles};
      }
    }
    if (record.status === 'available' && record.provider) {
      // A provider-hosted URL expires soon (capabilities.recordingUrlTtlSeconds): fetch a fresh one.
      const provider = this.providers.get(record.provider);
      const fresh = await provider.getArchive(record.archiveId);
      const urlTtlSeconds = provider.capabilities.recordingUrlTtlSeconds;
      if (fresh.url && urlTtlSeconds) {
        const files = fresh.files ? fresh.files.map(file => fileView(file, file.url)) : recordedFiles;
        return {downloadUrl: fresh.url, downloadUrlExpiresAt: new Date(Date.now() + urlTtlSeconds * 1000).toISOString(), files};
      }
    }
    return {downloadUrl: null, downloadUrlExpiresAt: null, files: recordedFiles};
  }
}

export function toView(record: ArchiveRecord): ArchiveView {
  return {
    id: record.archiveId,
    name: record.name,
    meetingLinkId: record.meetingLinkId,
    provider: record.provider,
    sessionId: record.sessionId,
    status: record.status,
    outputMode: record.outputMode,
    createdAt: record.createdAt.toISOString(),
    duration: record.durationSeconds,
    size: record.sizeBytes,
    uploadTarget: record.uploadTarget,
    reason: record.reason,
  };
}

function fileView(file: Omit<ArchiveFile, 'url'>, downloadUrl: string | null): ArchiveFileView {
  return {id: file.id, type: file.type, extension: file.extension, size: file.sizeBytes, downloadUrl};
}
