import type {ArchiveStorageFactory, StorageTargetConfig} from '../providers/storage/types';
import {archiveObjectKey} from '../providers/storage/types';
import type {CallbackSender} from './callback-sender';
import type {EmulatedArchive, EmulatorState} from './emulator-state';
import {EmulatorHttpError} from './http-utils';
import {tinyMp4} from './media';

/** Archive lifecycle as Vonage runs it, with the callbacks it sends at each step. */
export class ArchiveFlow {
  constructor(
    private readonly applicationId: string,
    private readonly state: EmulatorState,
    private readonly callbacks: CallbackSender,
    private readonly baseUrl: () => string,
    private readonly storageFactory?: ArchiveStorageFactory,
  ) {}

  async start(sessionId: string, name: string | undefined, outputMode: unknown): Promise<EmulatedArchive> {
    const session = this.state.sessions.get(sessionId);
    if (!session) throw new EmulatorHttpError(404, 'Session not found');
    if (session.e2ee) throw new EmulatorHttpError(400, 'Archiving is not available for end-to-end encrypted sessions');
    if (this.state.connectionsOf(sessionId).length === 0) throw new EmulatorHttpError(409, 'No clients are actively connected to the session');
    const mode = outputMode === 'individual' ? 'individual' : 'composed';
    const archive = this.state.startArchive(sessionId, name ?? '', mode);
    await this.notify(archive);
    return archive;
  }

  async stop(archiveId: string): Promise<EmulatedArchive> {
    const archive = this.state.archives.get(archiveId);
    if (!archive) throw new EmulatorHttpError(404, 'Archive not found');
    if (archive.status !== 'started' && archive.status !== 'paused') throw new EmulatorHttpError(409, 'Archive is not being recorded');
    const media = tinyMp4();
    archive.duration = Math.max(1, Math.round((Date.now() - archive.createdAt) / 1000));
    archive.size = media.length;
    this.advance(archive, 'stopped');
    await this.notify(archive);
    await this.deliver(archive, media);
    return archive;
  }

  /** Uploads to the configured target like Vonage, or keeps the file and serves it. */
  private async deliver(archive: EmulatedArchive, media: Buffer): Promise<void> {
    const target = this.state.storageTarget ? toTargetConfig(this.state.storageTarget) : null;
    if (target && this.storageFactory) {
      try {
        await this.storageFactory(target).putObject(archiveObjectKey(this.applicationId, archive.id, archive.outputMode), media, 'video/mp4');
        this.advance(archive, 'uploaded');
        await this.notify(archive);
        return;
      } catch {
        if (target.fallback !== 'vonage') {
          archive.reason = 'upload to the storage target failed';
          this.advance(archive, 'failed');
          await this.notify(archive);
          return;
        }
      }
    }
    archive.media = media;
    this.advance(archive, 'available');
    await this.notify(archive);
  }

  json(archive: EmulatedArchive): Record<string, unknown> {
    return {
      id: archive.id,
      status: archive.status,
      name: archive.name,
      sessionId: archive.sessionId,
      projectId: this.applicationId,
      applicationId: this.applicationId,
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
      url: archive.status === 'available' && archive.media ? `${this.baseUrl()}/_emulator/media/${archive.id}?expires=${Date.now() + 600_000}` : null,
    };
  }

  private advance(archive: EmulatedArchive, status: EmulatedArchive['status']): void {
    archive.status = status;
    archive.updatedAt = Math.max(Date.now(), archive.updatedAt + 1);
  }

  private async notify(archive: EmulatedArchive): Promise<void> {
    await this.callbacks.send({...this.json(archive), event: 'archive', partnerId: this.applicationId, streams: []});
  }
}

/** The OpenTok storage body (what Vonage received) → a target our storage adapters can write to. */
function toTargetConfig(body: Record<string, unknown>): StorageTargetConfig {
  const config = (body.config ?? {}) as Record<string, string>;
  const fallback = body.fallback === 'opentok' ? 'vonage' : 'none';
  if (body.type === 's3') {
    return {type: 's3', bucket: config.bucket, accessKey: config.accessKey, secretKey: config.secretKey, region: 'us-east-1', endpoint: config.endpoint, forcePathStyle: Boolean(config.endpoint), fallback};
  }
  const domain = config.domain;
  const endpoint = !domain
    ? `https://${config.accountName}.blob.core.windows.net`
    : /^(127\.0\.0\.1|localhost)(:\d+)?$/.test(domain)
      ? `http://${domain}/${config.accountName}`
      : `https://${config.accountName}.${domain}`;
  return {type: 'azure', accountName: config.accountName, accountKey: config.accountKey, container: config.container, endpoint, fallback};
}
