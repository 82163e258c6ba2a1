import type {ArchiveOutputMode} from '../types';

/** Object key Vonage writes an archive under in the storage target (provider-facts §A7). */
export function vonageArchiveObjectKey(applicationId: string, archiveId: string, outputMode: ArchiveOutputMode): string {
  return `${applicationId}/${archiveId}/${outputMode === 'individual' ? 'archive.zip' : 'archive.mp4'}`;
}
