import type {ArchiveFile, ArchiveStatus} from '../types';
import type {ArchiveUpdate} from '../video-event';

/** One file of a cloud recording, as webhooks and `GET .../recordings` describe it (provider-facts §B2). */
export interface ZoomRecordingFile {
  id?: unknown;
  recording_start?: unknown;
  recording_end?: unknown;
  file_type?: unknown;
  file_size?: unknown;
  file_extension?: unknown;
  download_url?: unknown;
  status?: unknown;
  /** Where Zoom wrote the file in bring-your-own storage. */
  external_storage_url?: unknown;
}

/** A session instance's recording: the object of recording webhooks and of `GET .../recordings`. */
export interface ZoomRecording {
  session_id?: unknown;
  session_name?: unknown;
  start_time?: unknown;
  recording_files?: unknown;
  /** `recording_started` and friends describe the one file being recorded. */
  recording_file?: unknown;
}

/**
 * A Zoom recording → the neutral archive. The archive id is the session instance's UUID
 * (`session_id`): every recording event of the instance names it, and `GET /videosdk/sessions/{id}/recordings`
 * takes it. The main file (the first MP4, else the first file) gives the size, the URL and the object key.
 */
export function toArchiveUpdate(recording: ZoomRecording, status: ArchiveStatus, accessToken: string | null, fallbackTime: Date): ArchiveUpdate | null {
  const id = text(recording.session_id);
  if (!id) return null;
  const files = Array.isArray(recording.recording_files) ? (recording.recording_files as ZoomRecordingFile[]).filter(isObject) : [];
  const single = isObject(recording.recording_file) ? [recording.recording_file as ZoomRecordingFile] : [];
  const timed = files.length > 0 ? files : single;
  const main = files.find(f => f.file_type === 'MP4') ?? files[0];
  const starts = timed.map(f => time(f.recording_start)).filter((t): t is Date => t !== null);
  const ends = timed.map(f => time(f.recording_end)).filter((t): t is Date => t !== null);
  const startedAt = starts.length > 0 ? new Date(Math.min(...starts.map(t => t.getTime()))) : null;
  const endedAt = ends.length > 0 ? new Date(Math.max(...ends.map(t => t.getTime()))) : null;
  const objectKey = status === 'available' && main ? objectKeyOf(main.external_storage_url) : null;
  const finalStatus: ArchiveStatus = objectKey ? 'uploaded' : status;
  return {
    id,
    name: text(recording.session_name),
    status: finalStatus,
    outputMode: 'composed',
    createdAt: startedAt ?? time(recording.start_time) ?? fallbackTime,
    durationSeconds: startedAt && endedAt && endedAt > startedAt ? Math.round((endedAt.getTime() - startedAt.getTime()) / 1000) : 0,
    sizeBytes: main ? size(main.file_size) : 0,
    url: finalStatus === 'available' && main ? downloadUrl(main, accessToken) : null,
    reason: null,
    objectKey,
    files: files.length > 0 ? files.map(file => toArchiveFile(file, finalStatus === 'deleted' ? null : accessToken)) : undefined,
  };
}

/** A recording is done once every file is; until then Zoom is still processing what it stopped. */
export function completedStatus(recording: ZoomRecording): ArchiveStatus {
  const files = Array.isArray(recording.recording_files) ? (recording.recording_files as ZoomRecordingFile[]) : [];
  if (files.length === 0) return 'stopped';
  return files.every(f => !isObject(f) || f.status === undefined || f.status === 'completed') ? 'available' : 'stopped';
}

function toArchiveFile(file: ZoomRecordingFile, accessToken: string | null): ArchiveFile {
  return {
    id: text(file.id) ?? '',
    type: text(file.file_type) ?? 'UNKNOWN',
    extension: text(file.file_extension),
    sizeBytes: size(file.file_size),
    url: downloadUrl(file, accessToken),
  };
}

/** Zoom's download URLs need `?access_token=` (the event's `download_token` or a fresh `download_access_token`). */
function downloadUrl(file: ZoomRecordingFile, accessToken: string | null): string | null {
  const base = text(file.download_url);
  if (!base || !accessToken) return null;
  try {
    const url = new URL(base);
    url.searchParams.set('access_token', accessToken);
    return url.toString();
  } catch {
    return null;
  }
}

/**
 * The object key in our bucket, from the file's `external_storage_url`: the path of a virtual-hosted
 * URL (`https://{bucket}.s3.{region}.amazonaws.com/{key}`), or the path after the bucket of a path-style one.
 */
function objectKeyOf(externalUrl: unknown): string | null {
  const raw = text(externalUrl);
  if (!raw) return null;
  try {
    const url = new URL(raw);
    const path = url.pathname.replace(/^\/+/, '');
    const virtualHosted = /^.+\.s3[.-]/.test(url.hostname);
    const key = virtualHosted ? path : path.split('/').slice(1).join('/');
    return key ? decodeURIComponent(key) : null;
  } catch {
    return null;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function size(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

/** Zoom's ISO 8601 times; null when absent or unreadable. */
export function time(value: unknown): Date | null {
  if (typeof value !== 'string' || value === '') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
