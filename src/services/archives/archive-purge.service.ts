import {BindingScope, inject, injectable, service} from '@loopback/core';
import {repository} from '@loopback/repository';
import {ArchiveConflictError, ArchiveNotFoundError, DependencyUnavailableError} from '../../errors/domain-errors';
import {JobNames, JobQueue} from '../../jobs/job-queue';
import {JobBindings, LoggingBindings, VideoBindings} from '../../keys';
import type {Logger} from '../../logging/logger';
import {describeError} from '../../logging/logger';
import type {VideoProvider} from '../../providers/video/types';
import type {VideoProviders} from '../../providers/video/video-providers';
import {VideoProviderError} from '../../providers/video/video-provider.error';
import {ArchiveRecord, ArchiveRepository} from '../../repositories/archive.repository';
import {AuditLogRepository} from '../../repositories/audit-log.repository';
import {StorageTargetService} from './storage-target.service';

export interface ArchivePurgeJob {
  archiveId: string;
}

/**
 * Deleting an archive: the provider's copy, then our uploaded object, then the
 * record. Each step is recorded, so a retry (the caller's or the queued job's)
 * finishes only what is left.
 */
@injectable({scope: BindingScope.SINGLETON})
export class ArchivePurgeService {
  constructor(
    @repository(ArchiveRepository) private readonly archives: ArchiveRepository,
    @repository(AuditLogRepository) private readonly audit: AuditLogRepository,
    @service(StorageTargetService) private readonly storageTargets: StorageTargetService,
    @inject(VideoBindings.PROVIDERS) private readonly providers: VideoProviders,
    @inject(JobBindings.QUEUE) private readonly queue: JobQueue,
    @inject(LoggingBindings.LOGGER) private readonly logger: Logger,
  ) {}

  async delete(archiveId: string, actor: {id: string; tenantId: string | null}): Promise<void> {
    const record = await this.archives.findByArchiveId(archiveId, {tenantId: actor.tenantId});
    if (!record || record.deleted) throw new ArchiveNotFoundError(archiveId);
    await this.deleteAtProvider(record, actor.id);
    try {
      await this.deleteStoredCopy(record);
    } catch (error) {
      await this.queue.enqueue(JobNames.ArchivePurge, {archiveId}, {singletonKey: `purge:${archiveId}`});
      this.logger.warn('archive deleted at the provider, stored copy not yet removed: queued for retry', {archiveId, error: describeError(error as Error)});
      throw new DependencyUnavailableError(
        'The archive was deleted at the video provider, but its copy in the storage target could not be removed yet; it will be retried',
        {cause: error},
      );
    }
    await this.archives.markDeleted(archiveId, actor.id);
    await this.audit.record({actor: actor.id, action: 'archive.delete', entityType: 'archive', entityId: archiveId, before: {status: record.status}});
  }

  /** Job handler: finishes a deletion that failed part-way. */
  async purge(job: ArchivePurgeJob): Promise<void> {
    const record = await this.archives.findByArchiveId(job.archiveId, 'anyTenant');
    if (!record || record.deleted) return;
    await this.deleteAtProvider(record, null);
    await this.deleteStoredCopy(record);
    await this.archives.markDeleted(job.archiveId, null);
  }

  private async deleteAtProvider(record: ArchiveRecord, actor: string | null): Promise<void> {
    if (record.providerDeleted || !record.provider) return;
    const provider = this.providers.get(record.provider);
    try {
      await provider.deleteArchive(record.archiveId);
    } catch (error) {
      const code = (error as VideoProviderError).code;
      if (code === 'PROVIDER_CONFLICT') throw await this.conflictOf(provider, record, error);
      if (code !== 'PROVIDER_NOT_FOUND') throw error;
    }
    await this.archives.markDeletion(record.archiveId, {providerDeleted: true, deletedBy: actor ?? undefined});
  }

  /**
   * Why the provider refused (Vonage deletes only finished files, and its 409 does not say which
   * case this is): its current status tells, our record may lag a lost callback.
   */
  private async conflictOf(provider: VideoProvider, record: ArchiveRecord, error: unknown): Promise<ArchiveConflictError> {
    const status = await provider.getArchive(record.archiveId).then(
      archive => archive.status,
      () => record.status,
    );
    const message =
      status === 'started' || status === 'paused'
        ? 'The archive is still recording: stop it (or end the meeting) before deleting it'
        : status === 'stopped'
          ? 'The archive has stopped but the video provider is still processing it: try again once it is available or uploaded'
          : `The video provider cannot delete an archive that is ${status}: only available or uploaded archives can be deleted`;
    return new ArchiveConflictError(message, {cause: error});
  }

  private async deleteStoredCopy(record: ArchiveRecord): Promise<void> {
    if (!record.storageKey || !record.uploadTarget || record.storageDeleted) return;
    // Where it was uploaded, with that target version's credentials, wherever the target points now.
    const storage = record.location ? await this.storageTargets.storageAt(record.location) : null;
    if (storage) {
      await storage.deleteObject(record.storageKey);
    } else {
      // Uploaded before locations were recorded, under a target since removed: we hold no credentials for it.
      this.logger.warn('archive copy left in a storage target whose credentials are no longer held', {
        archiveId: record.archiveId,
        uploadTarget: record.uploadTarget,
        storageKey: record.storageKey,
      });
    }
    await this.archives.markDeletion(record.archiveId, {storageDeleted: true});
    await this.storageTargets.pruneSuperseded();
  }
}
