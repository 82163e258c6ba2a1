import {BindingScope, injectable} from '@loopback/core';
import {repository} from '@loopback/repository';
import type {ProviderArchive} from '../../providers/video/types';
import {ArchiveLocation, ArchiveRepository} from '../../repositories/archive.repository';
import type {MeetingSession} from '../../repositories/meeting.repository';
import {MeetingRepository} from '../../repositories/meeting.repository';
import {StorageTargetRepository} from '../../repositories/storage-target.repository';
import type {Transaction} from '../../repositories/transaction';
import {uploadLocationOf} from './archive-location';

/**
 * An archive's state as a provider reports it, from a callback or its own list: recorded where the
 * upload lies, advanced only forward, its event written with it (ArchiveRepository.applyStatus).
 */
@injectable({scope: BindingScope.SINGLETON})
export class ArchiveStatusService {
  constructor(
    @repository(ArchiveRepository) private readonly archives: ArchiveRepository,
    @repository(MeetingRepository) private readonly meetings: MeetingRepository,
    @repository(StorageTargetRepository) private readonly storageTargets: StorageTargetRepository,
  ) {}

  /** True when the archive's record changed (false: a stale or repeated report). */
  async apply(tx: Transaction, meeting: MeetingSession, archive: ProviderArchive, actor: string): Promise<boolean> {
    const storageKey = archive.status === 'uploaded' ? archive.objectKey : null;
    const location = storageKey ? await this.uploadLocation(tx) : null;
    const changed = await this.archives.applyStatus(tx, {
      meetingId: meeting.id,
      sessionId: archive.sessionId,
      update: archive,
      storage: {location, storageKey},
      actor,
    });
    if (changed) await this.meetings.markArchived(tx, meeting.id, archive.id, location?.kind ?? null);
    return changed;
  }

  /** The provider uploads to the target it was last given: the current one. */
  private async uploadLocation(tx: Transaction): Promise<ArchiveLocation | null> {
    const target = await this.storageTargets.currentForUpload(tx);
    return target ? uploadLocationOf(target) : null;
  }
}
