import {zipStored} from './zip';

/** A recorded stream of an individual-mode archive (what the ZIP manifest lists). */
export interface RecordedStream {
  streamId: string;
  connectionData: string;
}

export interface ArchiveMedia {
  bytes: Buffer;
  contentType: string;
}

/**
 * The file an archive produces: one MP4 for `composed`; for `individual` a ZIP
 * laid out like Vonage's (per-stream files + a JSON manifest, provider-facts §A7).
 * The per-stream files are the same tiny MP4 and named `.mp4`, not `.webm`/`.mkv`,
 * so each name says what the bytes are.
 */
export function archiveMedia(
  archive: {id: string; sessionId: string; name: string; createdAt: number; outputMode: 'composed' | 'individual'},
  partnerId: string,
  streams: RecordedStream[],
): ArchiveMedia {
  if (archive.outputMode === 'composed') return {bytes: tinyMp4(), contentType: 'video/mp4'};
  const files = streams.map(stream => ({...stream, filename: `${stream.streamId}.mp4`, bytes: tinyMp4()}));
  const manifest = {
    id: archive.id,
    partnerId,
    sessionId: archive.sessionId,
    name: archive.name,
    createdAt: archive.createdAt,
    files: files.map(f => ({
      streamId: f.streamId,
      filename: f.filename,
      size: f.bytes.length,
      startTimeOffset: 0,
      stopTimeOffset: 1000,
      connectionData: f.connectionData,
      videoType: 'camera',
    })),
  };
  const entries = [...files.map(f => ({name: f.filename, data: f.bytes})), {name: `${archive.id}.json`, data: Buffer.from(JSON.stringify(manifest))}];
  return {bytes: zipStored(entries), contentType: 'application/zip'};
}

/**
 * A minimal but structurally valid MP4 (`ftyp` + `moov/mvhd`, one second long):
 * enough for a download to be a real media file, with no encoder needed.
 */
export function tinyMp4(): Buffer {
  const ftyp = box('ftyp', Buffer.concat([Buffer.from('isom'), u32(0x200), Buffer.from('isomiso2mp41')]));
  const mvhd = Buffer.alloc(100);
  mvhd.writeUInt32BE(0, 0); // version + flags
  mvhd.writeUInt32BE(1000, 12); // timescale: 1000 units a second
  mvhd.writeUInt32BE(1000, 16); // duration: one second
  mvhd.writeUInt32BE(0x00010000, 20); // rate 1.0
  mvhd.writeUInt16BE(0x0100, 24); // volume 1.0
  const matrix = [0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000];
  matrix.forEach((value, i) => mvhd.writeUInt32BE(value, 36 + i * 4));
  mvhd.writeUInt32BE(1, 96); // next track id
  return Buffer.concat([ftyp, box('moov', box('mvhd', mvhd))]);
}

function box(type: string, payload: Buffer): Buffer {
  return Buffer.concat([u32(8 + payload.length), Buffer.from(type, 'ascii'), payload]);
}

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value, 0);
  return b;
}
