import {BindingScope, inject, injectable} from '@loopback/core';
import {repository} from '@loopback/repository';
import type {ServiceConfig} from '../config/service-config';
import {ArchiveNotFoundError} from '../errors/domain-errors';
import {ConfigBindings, LoggingBindings, VideoBindings, ServiceBindings} from '../keys';
import type {Logger} from '../logging/logger';
import {describeError} from '../logging/logger';
import type {ArchiveStatus, ProviderArchive, VideoProvider} from '../providers/video/types';
import {ArchiveFilter, ArchiveRecord, ArchiveRepository} from '../repositories/archive.repository';
import {MeetingRepository} from '../repositories/meeting.repository';
import {StorageTargetRepository} from '../repositories/storage-target.repository';
import {StorageTargetService} from './storage-target.service';

export interface ArchiveView {
  id: string;
  name: string | null;
  meetingLinkId: string | null;
  sessionId: string;
  status: ArchiveStatus;
  outputMode: 'composed' | 'individual';
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
}

/** Provider pages read while reconciling one session (50 per page → 1,000 archives). */
const MAX_RECONCILE_PAGES = 20;
const PROVIDER_PAGE_SIZE = 50;
/** Meetings reconciled by one scheduled run, most recently started first. */
const RECONCILE_MEETINGS_PER_RUN = 500;
/** Vonage's own archive URLs live 10 minutes. */
const PROVIDER_URL_TTL_SECONDS = 600;

/** Listing and inspecting the recordings of this service's meetings. */
@injectable({scope: BindingScope.SINGLETON})
export class ArchiveService {
  constructor(
    @repository(ArchiveRepository) private readonly archives: ArchiveRepository,
    @repository(MeetingRepository) private readonly meetings: MeetingRepository,
    @repository(StorageTargetRepository) private readonly targetRecords: StorageTargetRepository,
    @inject(ServiceBindings.STORAGE_TARGET) private readonly storageTargets: StorageTargetService,
    @inject(VideoBindings.PROVIDER) private readonly provider: VideoProvider,
    @inject(ConfigBindings.SERVICE_CONFIG) private readonly config: ServiceConfig,
    @inject(LoggingBindings.LOGGER) private readonly logger: Logger,
  ) {}

  async list(filter: ArchiveFilter): Promise<{count: number; items: ArchiveView[]}> {
    // A filter naming one meeting is cheap to reconcile with the provider's list.
    const meeting = filter.meetingLinkId
      ? await this.meetings.findByLink(filter.meetingLinkId)
      : filter.sessionId
        ? await this.meetings.findBySessionId(filter.sessionId)
        : null;
    if (meeting) await this.reconcileSession(meeting.id!, meeting.sessionId);
    const page = await this.archives.list(filter);
    return {count: page.total, items: page.items.map(toView)};
  }

  async get(archiveId: string): Promise<ArchiveDetail> {
    const record = (await this.archives.findByArchiveId(archiveId)) ?? (await this.adoptFromProvider(archiveId));
    if (!record || record.deleted) throw new ArchiveNotFoundError(archiveId);
    return {...toView(record), ...(await this.downloadLink(record))};
  }

  /** Scheduled job: reconciles every recently active meeting, so unfiltered listings see lost archives too. */
  async reconcileRecentMeetings(): Promise<void> {
    for (const meeting of await this.meetings.recentlyActive(RECONCILE_MEETINGS_PER_RUN)) {
      await this.reconcileSession(meeting.id, meeting.sessionId);
    }
  }

  /** Pulls the provider's list for one session into our records (lost callbacks). */
  async reconcileSession(meetingId: number, sessionId: string): Promise<void> {
    try {
      for (let pageIndex = 0; pageIndex < MAX_RECONCILE_PAGES; pageIndex++) {
        const page = await this.provider.listArchives({sessionId, offset: pageIndex * PROVIDER_PAGE_SIZE, count: PROVIDER_PAGE_SIZE});
        for (const archive of page.items) await this.store(meetingId, archive);
        if (page.items.length < PROVIDER_PAGE_SIZE) break;
      }
    } catch (error) {
      // Serve what is recorded; the next listing tries again.
      this.logger.warn('archive reconciliation failed', {sessionId, error: describeError(error as Error)});
    }
  }

  private async adoptFromProvider(archiveId: string): Promise<ArchiveRecord | null> {
    let archive: ProviderArchive;
    try {
      archive = await this.provider.getArchive(archiveId);
    } catch (error) {
      if ((error as {code?: string}).code === 'PROVIDER_NOT_FOUND') return null;
      throw error;
    }
    const meeting = await this.meetings.findBySessionId(archive.sessionId);
    if (!meeting) return null; // Not one of ours: the project may hold other applications' archives.
    await this.store(meeting.id!, archive);
    return this.archives.findByArchiveId(archiveId);
  }

  private async store(meetingId: number, archive: ProviderArchive): Promise<void> {
    const pool = this.meetings.dataSource.pool;
    const location = await this.targetRecords.uploadLocation(pool, this.provider.applicationId, archive);
    await this.archives.upsert(pool, meetingId, archive.sessionId, archive, location);
  }

  private async downloadLink(record: ArchiveRecord): Promise<{downloadUrl: string | null; downloadUrlExpiresAt: string | null}> {
    const ttlSeconds = this.config.storage.downloadUrlTtlSeconds;
    if (record.storageKey && record.uploadTarget && !record.storageDeleted) {
      const storage = await this.storageTargets.currentStorage();
      if (storage && storage.type === record.uploadTarget) {
        const downloadUrl = await storage.presignDownload(record.storageKey, ttlSeconds);
        return {downloadUrl, downloadUrlExpiresAt: new Date(Date.now() + ttlSeconds * 1000).toISOString()};
      }
    }
    if (record.status === 'available') {
      // Vonage's URL expires after ten minutes: fetch a fresh one.
      const fresh = await this.provider.getArchive(record.archiveId);
      if (fresh.url) return {downloadUrl: fresh.url, downloadUrlExpiresAt: new Date(Date.now() + PROVIDER_URL_TTL_SECONDS * 1000).toISOString()};
    }
    return {downloadUrl: null, downloadUrlExpiresAt: null};
  }
}

export function toView(record: ArchiveRecord): ArchiveView {
  return {
    id: record.archiveId,
    name: record.name,
    meetingLinkId: record.meetingLinkId,
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
