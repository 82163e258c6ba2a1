/** Recordings in the neutral contract's words: every provider maps its own states onto these. */

export type ArchiveStatus = 'started' | 'paused' | 'stopped' | 'uploaded' | 'available' | 'expired' | 'failed' | 'deleted';
export const ARCHIVE_STATUSES: readonly ArchiveStatus[] = ['started', 'paused', 'stopped', 'uploaded', 'available', 'expired', 'failed', 'deleted'];

/**
 * A status only moves forward; a late `started` after `stopped` is ignored.
 * `paused` and `started` share a rank because a recording may toggle between them.
 */
export const ARCHIVE_STATUS_RANK: Readonly<Record<ArchiveStatus, number>> = {
  started: 1,
  paused: 1,
  stopped: 2,
  uploaded: 3,
  available: 3,
  failed: 3,
  expired: 4,
  deleted: 5,
};

export type ArchiveOutputMode = 'composed' | 'individual';

export interface ProviderArchive {
  id: string;
  sessionId: string;
  name: string | null;
  status: ArchiveStatus;
  outputMode: ArchiveOutputMode;
  createdAt: Date;
  durationSeconds: number;
  sizeBytes: number;
  /** Provider-hosted download URL, short-lived; only when status is `available`. */
  url: string | null;
  reason: string | null;
  /** Where the provider wrote the file in the storage target, once `uploaded`. */
  objectKey: string | null;
  /** The recording's files where the provider makes several (Zoom: video, audio, chat, transcript...); absent otherwise. */
  files?: ArchiveFile[];
}

/** One file of a recording; `url` is provider-hosted and short-lived (null once deleted or not yet ready). */
export interface ArchiveFile {
  id: string;
  /** The provider's file type, e.g. `MP4`, `M4A`, `TRANSCRIPT`. */
  type: string;
  extension: string | null;
  sizeBytes: number;
  url: string | null;
}
