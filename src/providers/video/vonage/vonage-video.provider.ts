import {Auth} from '@vonage/auth';
import {Video} from '@vonage/video';
import type {
  ArchivePage,
  ArchiveSearch,
  ClientTokenOptions,
  CreateSessionOptions,
  ProviderArchive,
  ProviderConnection,
  ProviderSession,
  ProviderStorageTarget,
  StorageTargetApplyResult,
  VideoProvider,
} from '../types';
import {VideoProviderError} from '../video-provider.error';
import {VonageClientTokenSigner} from './vonage-client-token';
import {VonageStorageTargetClient} from './vonage-storage-target.client';
import {toProviderArchive, toProviderConnection, VonageArchive, VonageConnection} from './vonage.mapper';
import {validateVonageOptions, VonageProviderOptions} from './vonage.options';

const UNIFIED_PLATFORM_NOTICE =
  'This Vonage application has no API key/secret configured (unified platform): set the archive storage target in the ' +
  'Vonage dashboard (Applications → Video → Archive storage). The target is stored here and used for downloads.';

/** VideoProvider over the official Vonage server SDK (`@vonage/video`). */
export class VonageVideoProvider implements VideoProvider {
  readonly name = 'vonage';
  readonly applicationId: string;
  private readonly video: Video;
  private readonly tokens: VonageClientTokenSigner;
  private readonly storageTarget?: VonageStorageTargetClient;

  constructor(private readonly options: VonageProviderOptions) {
    validateVonageOptions(options);
    this.applicationId = options.applicationId;
    this.video = new Video(new Auth({applicationId: options.applicationId, privateKey: options.privateKeyPem}), {
      videoHost: options.videoHost,
      timeout: options.timeoutMs,
    });
    this.tokens = new VonageClientTokenSigner(options.applicationId, options.privateKeyPem);
    if (options.apiKey && options.apiSecret) {
      this.storageTarget = new VonageStorageTargetClient(options.apiHost, options.apiKey, options.apiSecret, options.timeoutMs);
    }
  }

  async createSession(options: CreateSessionOptions): Promise<ProviderSession> {
    // Sent as a form through the SDK's own client: the SDK's createSession has no e2ee flag.
    const form: Record<string, string> = {
      archiveMode: options.archiveAlways ? 'always' : 'manual',
      'p2p.preference': 'disabled',
    };
    if (options.endToEndEncryption) form.e2ee = 'true';
    const response = await this.call('session create', () => this.video.sendFormSubmitRequest<Array<{session_id?: string}>>(`${this.options.videoHost}/session/create`, form));
    const sessionId = Array.isArray(response.data) ? response.data[0]?.session_id : undefined;
    if (!sessionId) {
      throw new VideoProviderError({provider: this.name, code: 'PROVIDER_UNAVAILABLE', message: 'vonage session create failed: the reply held no session id'});
    }
    return {sessionId};
  }

  generateClientToken(sessionId: string, options: ClientTokenOptions): string {
    return this.tokens.sign(sessionId, options);
  }

  async listConnections(sessionId: string): Promise<ProviderConnection[]> {
    const url = `${this.projectUrl()}/session/${encodeURIComponent(sessionId)}/connection`;
    const items = await this.call('connection list', async () => (await this.video.sendGetRequest<{items?: VonageConnection[]}>(url)).data?.items ?? [], {
      notFoundAs: [] as VonageConnection[],
    });
    return items.map(toProviderConnection);
  }

  async disconnect(sessionId: string, connectionId: string): Promise<void> {
    await this.call('disconnect', () => this.video.disconnectClient(sessionId, connectionId), {notFoundAs: undefined});
  }

  async listArchives(search: ArchiveSearch): Promise<ArchivePage> {
    const page = await this.call('archive list', () =>
      this.video.searchArchives({sessionId: search.sessionId, offset: search.offset, count: search.count}),
    );
    const raw = page as unknown as {count?: number; items?: VonageArchive[]};
    return {count: raw.count ?? 0, items: (raw.items ?? []).map(toProviderArchive)};
  }

  async getArchive(archiveId: string): Promise<ProviderArchive> {
    const archive = await this.call('archive get', () => this.video.getArchive(archiveId));
    return toProviderArchive(archive as unknown as VonageArchive);
  }

  async stopArchive(archiveId: string): Promise<void> {
    try {
      await this.call('archive stop', () => this.video.stopArchive(archiveId));
    } catch (error) {
      // 409: already stopped, which is what we wanted.
      if ((error as VideoProviderError).code !== 'PROVIDER_CONFLICT') throw error;
    }
  }

  async deleteArchive(archiveId: string): Promise<void> {
    await this.call('archive delete', () => this.video.deleteArchive(archiveId));
  }

  async applyStorageTarget(target: ProviderStorageTarget | null): Promise<StorageTargetApplyResult> {
    if (!this.storageTarget) return {applied: false, notice: UNIFIED_PLATFORM_NOTICE};
    await this.storageTarget.apply(target);
    return {applied: true};
  }

  private projectUrl(): string {
    return `${this.options.videoHost}/v2/project/${encodeURIComponent(this.applicationId)}`;
  }

  /** Runs one SDK call; every failure becomes a VideoProviderError (no request or JWT in it). */
  private async call<T>(operation: string, request: () => Promise<T>, options?: {notFoundAs: T}): Promise<T> {
    try {
      return await request();
    } catch (error) {
      const status = (error as {response?: {status?: unknown}}).response?.status;
      const httpStatus = typeof status === 'number' ? status : undefined;
      if (httpStatus === 404 && options && 'notFoundAs' in options) return options.notFoundAs;
      throw VideoProviderError.fromStatus(this.name, httpStatus, operation, stripRequest(error));
    }
  }
}

/** The SDK's error carries the signed request; keep only what is safe to log. */
function stripRequest(error: unknown): Error {
  const status = (error as {response?: {status?: unknown}}).response?.status;
  return new Error(`${(error as Error)?.name ?? 'Error'}: ${(error as Error)?.message ?? String(error)}${status ? ` (HTTP ${String(status)})` : ''}`);
}
