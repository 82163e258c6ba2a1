import type {ArchiveStorageFactory} from '../providers/storage/types';
import type {Background, EmulatorTiming} from './background';
import {vonageArchiveObjectKey as archiveObjectKey} from '../providers/video/vonage/vonage-object-key';
import type {CallbackSender} from './callback-sender';
import type {EmulatedArchive, EmulatedArchiveStatus, EmulatorState} from './emulator-state';
import {EmulatorHttpError} from './http-utils';
import {ArchiveMedia, archiveMedia} from './media';
import {toStorageTargetConfig} from './storage-target';

/** Vonage's download URLs live ten minutes (provider-facts §A6). */
export const MEDIA_URL_TTL_MS = 10 * 60_000;

export interface ArchiveFlowOptions {
  applicationId: string;
  state: EmulatorState;
  callbacks: CallbackSender;
  /** The emulator's base URL, known once it listens. */
  baseUrl: () => string;
  storageFactory?: ArchiveStorageFactory;
  background: Background;
  timing: EmulatorTiming;
  log: (message: string, fields?: object) => void;
}

/** Vonage deletes only archives whose file is done: in its cloud or in the storage target. */
const DELETABLE: readonly EmulatedArchiveStatus[] = ['available', 'uploaded'];

/** Archive lifecycle as Vonage runs it, with the callback it sends at each status change. */
export class ArchiveFlow {
  /** Each stopped archive's processing, until it is uploaded, available or failed. */
  private readonly processing = new Map<string, Promise<void>>();

  constructor(private readonly o: ArchiveFlowOptions) {}

  /** Same rules for the REST start, automatic archiving and the emulator's control. */
  async start(sessionId: string, name: string | undefined, outputMode: unknown, layout?: EmulatedArchive['layout']): Promise<EmulatedArchive> {
    const session = this.o.state.sessions.get(sessionId);
    if (!session) throw new EmulatorHttpError(404, 'Session not found');
    if (session.e2ee) throw new EmulatorHttpError(400, 'Archiving is not available for end-to-end encrypted sessions');
    if (outputMode !== undefined && outputMode !== 'composed' && outputMode !== 'individual') {
      throw new EmulatorHttpError(400, 'outputMode must be composed or individual');
    }
    // The Node OpenTok SDK reads a 409 on start as "already recording or not using the media router".
    if (session.mediaMode === 'relayed') throw new EmulatorHttpError(409, 'The session does not use the media router (relayed): it cannot be archived');
    if (this.o.state.connectionsOf(sessionId).length === 0) throw new EmulatorHttpError(404, 'No clients are actively connected to the session');
    if (this.o.state.recordingArchiveOf(sessionId)) throw new EmulatorHttpError(409, 'The session is already being recorded');
    const archive = this.o.state.startArchive(sessionId, name ?? '', outputMode === 'individual' ? 'individual' : 'composed', layout);
    await this.notify(archive);
    return archive;
  }

  /**
   * `stopped` at once (what the stop call answers); `uploaded` to the storage target, `available`
   * here, or `failed` only after `archiveProcessingMs`, as Vonage finishes the file after answering.
   */
  stop(archiveId: string, reason = ''): EmulatedArchive {
    const archive = this.o.state.archives.get(archiveId);
    if (!archive) throw new EmulatorHttpError(404, 'Archive not found');
    if (archive.status !== 'started' && archive.status !== 'paused') throw new EmulatorHttpError(409, 'Archive is not being recorded');
    const media = archiveMedia(archive, this.o.applicationId, archive.streams);
    archive.duration = Math.max(1, Math.round((Date.now() - archive.createdAt) / 1000));
    archive.size = media.bytes.length;
    archive.reason = reason;
    const stopped = this.advance(archive, 'stopped');
    const processed = this.o.background.run(async () => {
      await stopped;
      await new Promise(resolve => setTimeout(resolve, this.o.timing.archiveProcessingMs));
      // reset() forgot it meanwhile.
      if (this.o.state.archives.get(archive.id) !== archive) return;
      await this.deliver(archive, media);
    });
    this.processing.set(archive.id, processed);
    void processed.then(() => this.processing.delete(archive.id));
    return archive;
  }

  /** Resolves once a stopped archive is processed and its callbacks delivered. */
  async processed(archiveId: string): Promise<void> {
    await this.processing.get(archiveId);
  }

  /** 409 unless the file is done (Vonage: only `available` or `uploaded` archives can be deleted). */
  delete(archive: EmulatedArchive): void {
    if (archive.status === 'started' || archive.status === 'paused') throw new EmulatorHttpError(409, 'Archive is still being recorded');
    if (!DELETABLE.includes(archive.status)) throw new EmulatorHttpError(409, `Archive cannot be deleted while it is ${archive.status}`);
    this.o.state.archives.delete(archive.id);
  }

  /** Uploads to the configured target like Vonage, or keeps the file and serves it. */
  private async deliver(archive: EmulatedArchive, media: ArchiveMedia): Promise<void> {
    const target = this.o.state.storageTarget;
    if (target && this.o.storageFactory) {
      const config = toStorageTargetConfig(target);
      try {
        await this.o.storageFactory(config).putObject(archiveObjectKey(this.o.applicationId, archive.id, archive.outputMode), media.bytes, media.contentType);
        await this.advance(archive, 'uploaded');
        return;
      } catch (error) {
        // The adapters' messages name the bucket and cause, never the keys.
        this.o.log('archive upload to the storage target failed', {archiveId: archive.id, type: config.type, error: (error as Error).message});
        if (config.fallback !== 'provider') {
          archive.reason = 'upload to the storage target failed';
          await this.advance(archive, 'failed');
          return;
        }
      }
    }
    archive.media = media;
    await this.advance(archive, 'available');
  }

  /** Archive JSON as Vonage's REST API returns it (provider-facts §A6). */
  json(archive: EmulatedArchive): Record<string, unknown> {
    return {
      id: archive.id,
      status: archive.status,
      name: archive.name,
      sessionId: archive.sessionId,
      projectId: this.o.applicationId,
      applicationId: this.o.applicationId,
      createdAt: archive.createdAt,
      updatedAt: archive.updatedAt,
      size: archive.size,
      duration: archive.duration,
      outputMode: archive.outputMode,
      streamMode: 'auto',
      resolution: '640x480',
      hasAudio: true,
      hasVideo: true,
      reason: archive.reason,
      // Fresh each time it is read, like Vonage's obfuscated URL.
      url:
        archive.status === 'available' && archive.media ? `${this.o.baseUrl()}/_emulator/media/${archive.id}?expires=${Date.now() + MEDIA_URL_TTL_MS}` : null,
    };
  }

  /** Status and payload change now; the returned promise is the callback's delivery. */
  private advance(archive: EmulatedArchive, status: EmulatedArchiveStatus): Promise<void> {
    archive.status = status;
    // Strictly increasing: receivers order (and dedupe) archive callbacks by updatedAt.
    archive.updatedAt = Math.max(Date.now(), archive.updatedAt + 1);
    return this.notify(archive);
  }

  private notify(archive: EmulatedArchive): Promise<void> {
    return this.o.callbacks.send(archive.sessionId, {...this.json(archive), event: 'archive', partnerId: this.o.applicationId, streams: []});
  }
}
