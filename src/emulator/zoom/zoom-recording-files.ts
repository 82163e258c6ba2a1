import {randomUUID} from 'node:crypto';
import type {ArchiveStorageFactory} from '../../providers/storage/types';
import {tinyMp4} from '../media';
import type {ZoomEmulatedFile, ZoomEmulatedInstance, ZoomEmulatedSession, ZoomEmulatorState} from './zoom-emulator-state';

/** What a finished recording holds: the composed video, its audio and a transcript. */
export function recordingFiles(session: ZoomEmulatedSession): ZoomEmulatedFile[] {
  const transcript = `WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.000\n${session.name}: recorded by the Zoom emulator\n`;
  const files: ZoomEmulatedFile[] = [
    {id: randomUUID(), fileType: 'MP4', extension: 'MP4', bytes: tinyMp4(), contentType: 'video/mp4', externalStorageUrl: null},
    {id: randomUUID(), fileType: 'M4A', extension: 'M4A', bytes: tinyMp4(), contentType: 'audio/mp4', externalStorageUrl: null},
    {id: randomUUID(), fileType: 'TRANSCRIPT', extension: 'VTT', bytes: Buffer.from(transcript), contentType: 'text/vtt', externalStorageUrl: null},
  ];
  return files;
}

/**
 * Bring-your-own storage: Zoom writes the MP4 into the bucket (its layout is not documented; the
 * emulator uses `videosdk/{session name}/{file id}.mp4`) and reports `external_storage_url`. A failed
 * upload leaves the file in Zoom's cloud only.
 */
export async function uploadToOwnStorage(
  state: ZoomEmulatorState,
  storageFactory: ArchiveStorageFactory | undefined,
  session: ZoomEmulatedSession,
  files: ZoomEmulatedFile[],
  log: (message: string, fields?: object) => void,
): Promise<void> {
  const locationId = state.storage.bringOurOwnStorage ? state.storage.storageLocationId : null;
  const location = locationId ? state.storageLocations.get(locationId) : undefined;
  const mp4 = files.find(f => f.fileType === 'MP4');
  if (!location || !storageFactory || !mp4) return;
  const {bucket, region, accessKeyId, secretAccessKey} = location.s3;
  const key = `videosdk/${session.name}/${mp4.id}.mp4`;
  try {
    const storage = storageFactory({type: 's3', bucket, region, accessKey: accessKeyId, secretKey: secretAccessKey, forcePathStyle: false, fallback: 'none'});
    await storage.putObject(key, mp4.bytes, mp4.contentType);
    mp4.externalStorageUrl = `https://${bucket}.s3.${region}.amazonaws.com/${key.split('/').map(encodeURIComponent).join('/')}`;
  } catch (error) {
    // The adapters' messages name the bucket and cause, never the keys.
    log('recording upload to the storage location failed', {bucket, error: (error as Error).message});
  }
}

/** A file as Zoom's webhooks and REST replies describe it (provider-facts §B2). */
export function fileJson(file: ZoomEmulatedFile, instance: ZoomEmulatedInstance, origin: string): Record<string, unknown> {
  const recording = instance.recording!;
  const json: Record<string, unknown> = {
    id: file.id,
    recording_start: new Date(recording.startedAt).toISOString(),
    recording_end: new Date(recording.stoppedAt ?? Date.now()).toISOString(),
    file_name: `${file.fileType.toLowerCase()}.${file.extension.toLowerCase()}`,
    file_path: '',
    file_type: file.fileType,
    file_size: file.bytes.length,
    file_extension: file.extension,
    download_url: `${origin}/rec/download/${encodeURIComponent(file.id)}`,
    status: 'completed',
    recording_type: file.fileType === 'MP4' ? 'shared_screen_with_speaker_view' : file.fileType === 'M4A' ? 'audio_only' : 'audio_transcript',
  };
  if (file.externalStorageUrl) json.external_storage_url = file.externalStorageUrl;
  return json;
}
