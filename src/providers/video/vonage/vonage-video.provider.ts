import {Video} from '@vonage/video';
import type {
  ArchivePage,
  CreateSessionOptions,
  EndSessionHints,
  JoinCredentials,
  JoinCredentialsRequest,
  ParticipantRef,
  ProviderArchive,
  ProviderCapabilities,
  ProviderParticipant,
  ProviderStorageTarget,
  RecordingLayout,
  SessionRef,
  SignalMessage,
  StartRecordingOptions,
  StorageTargetApplyResult,
  VideoProvider,
} from '../types';
import type {WebhookRequest, WebhookResult} from '../video-event';
import {VideoProviderError} from '../video-provider.error';
import {assertConnectionDataFits, MAX_ATTENDEE_ID_CHARS, MAX_JOIN_DATA_CHARS} from './connection-data';
import {ClientTokenOptions, VonageClientTokenSigner} from './vonage-client-token';
import {VonageLiveControl} from './vonage-live-control';
import {VonageCallbackVerifier} from './vonage-callback.verifier';
import {vonageArchiveObjectKey} from './vonage-object-key';
import {VonageRestAuth} from './vonage-rest-auth';
import {VonageStorageTargetClient} from './vonage-storage-target.client';
import {VonageWebhooks} from './vonage-webhooks';
import {
  sessionIdFromCreateReply,
  toArchivePage,
  toProviderArchive,
  toProviderConnections,
  VonageArchive,
  VonageArchivePage,
  VonageConnectionState,
  VonageMappedArchive,
} from './vonage.mapper';
import {validateVonageOptions, VonageProviderOptions} from './vonage.options';

/** What Vonage Video supports, and its limits (provider-facts §A). */
export const VONAGE_CAPABILITIES: ProviderCapabilities = {
  roles: ['publisher', 'subscriber', 'moderator', 'publisheronly'],
  endToEndEncryption: true,
  automaticRecording: true,
  manualRecording: true,
  pauseRecording: false,
  recordingLayout: true,
  signals: true,
  muting: true,
  storageKinds: ['s3', 'azure'],
  // A client token lives at most 30 days; 24 h unless the caller asks otherwise.
  joinTokenTtl: {minSeconds: 1, maxSeconds: 30 * 24 * 3600, defaultSeconds: 24 * 3600},
  // Vonage's own archive URLs expire after ten minutes; archives it hosts are kept 72 h.
  recordingUrlTtlSeconds: 600,
  recordingRetentionHours: 72,
  // Both travel in connection data, which Vonage caps at 1,000 characters (connection-data.ts).
  joinIdentity: {maxAttendeeIdChars: MAX_ATTENDEE_ID_CHARS, maxDataChars: MAX_JOIN_DATA_CHARS, keyed: false},
};

/** Archives Vonage lists per page, and pages read when ending a session. */
const ARCHIVE_PAGE_SIZE = 50;

const UNIFIED_PLATFORM_NOTICE =
  'This Vonage application uses the unified platform: set the archive storage target in the Vonage dashboard ' +
  '(Applications → Video → Archive storage). The target is stored here and used for downloads.';

/**
 * Ids Vonage issues (session ids are base64url with `-`, `_`, `~`; archive and
 * connection ids are UUIDs). The SDK puts ids into URL paths unencoded, so
 * anything else could address another resource: refuse it before sending.
 */
const SAFE_ID = /^[A-Za-z0-9_~+-][A-Za-z0-9_~.=+-]{0,511}$/;

/** VideoProvider over the official Vonage server SDK (`@vonage/video`, provider-facts §A). */
export class VonageVideoProvider implements VideoProvider {
  readonly name = 'vonage';
  readonly capabilities = VONAGE_CAPABILITIES;
  readonly applicationId: string;
  private readonly video: Video;
  private readonly tokens: VonageClientTokenSigner;
  private readonly storageTarget?: VonageStorageTargetClient;
  private readonly webhooks: VonageWebhooks;
  private readonly live: VonageLiveControl;

  constructor(private readonly options: VonageProviderOptions) {
    validateVonageOptions(options);
    this.applicationId = options.applicationId;
    // The SDK owns host + timeout (calls it lacks go through its own request methods so that stays in one place);
    // the REST JWT comes from a key parsed once (VonageRestAuth).
    this.video = new Video(new VonageRestAuth(options.applicationId, options.privateKeyPem), {
      videoHost: options.videoHost,
      timeout: options.timeoutMs,
    });
    this.tokens = new VonageClientTokenSigner(options.applicationId, options.privateKeyPem, options.signingThreads ?? 0);
    if (options.apiKey && options.apiSecret) {
      this.storageTarget = new VonageStorageTargetClient(options.apiHost, options.apiKey, options.apiSecret, options.timeoutMs);
    }
    const verifier = new VonageCallbackVerifier({
      secrets: options.signatureSecrets ?? [],
      applicationId: options.applicationId,
      toleranceSeconds: options.callbackToleranceSeconds ?? 300,
      allowUnsigned: options.allowUnsignedCallbacks ?? false,
      now: options.now,
    });
    this.webhooks = new VonageWebhooks(verifier, options.applicationId);
    this.live = new VonageLiveControl(this.video, {
      call: (op, request, opts) => this.call(op, request, opts),
      assertId: (op, ...ids) => this.assertId(op, ...ids),
    });
  }

  async createSession(options: CreateSessionOptions): Promise<SessionRef> {
    // Sent as a form through the SDK's client: the SDK's createSession has no e2ee flag.
    // Media is always routed (archiving and E2EE need the media router); no location hint.
    const form: Record<string, string> = {
      archiveMode: options.automaticRecording ? 'always' : 'manual',
      'p2p.preference': 'disabled',
    };
    if (options.endToEndEncryption) form.e2ee = 'true';
    const reply = await this.call('session create', () => this.video.sendFormSubmitRequest<unknown>(`${this.options.videoHost}/session/create`, form));
    return {sessionId: sessionIdFromCreateReply(reply.data)};
  }

  /**
   * Hot path: local RS256 signing with the key parsed once, on worker threads if configured. The attendee id
   * travels in the connection data, which Vonage echoes in every callback of the connection.
   */
  async issueJoinCredentials(session: SessionRef, request: JoinCredentialsRequest): Promise<JoinCredentials> {
    const connectionData = assertConnectionDataFits({attendee: request.attendeeId, data: request.data});
    const token = await this.generateClientToken(session.sessionId, {role: request.role, expiresAt: request.expiresAt, connectionData});
    return {token, clientFields: {sessionId: session.sessionId, applicationId: this.applicationId}};
  }

  generateClientToken(sessionId: string, options: ClientTokenOptions): Promise<string> {
    return this.tokens.signOffLoop(sessionId, options);
  }

  /**
   * Vonage has no "end session" call: every live connection (ours and the ones Vonage lists) is
   * disconnected and every recording archive stopped. A failure leaves the rest tried and throws.
   */
  async endSession(session: SessionRef, hints: EndSessionHints): Promise<void> {
    const [listed, archives] = await Promise.all([
      this.listConnections(session.sessionId),
      this.searchArchives({sessionId: session.sessionId, offset: 0, count: ARCHIVE_PAGE_SIZE}),
    ]);
    const connectionIds = new Set([...hints.participantIds, ...listed.filter(c => c.state !== 'disconnected').map(c => c.connectionId)]);
    const recording = new Set([...hints.recordingArchiveIds, ...archives.items.filter(a => a.status === 'started' || a.status === 'paused').map(a => a.id)]);
    const failures: unknown[] = [];
    for (const connectionId of connectionIds) {
      await this.disconnect(session.sessionId, connectionId).catch(error => failures.push(error));
    }
    for (const archiveId of recording) {
      await this.stopArchive(archiveId).catch(error => failures.push(error));
    }
    if (failures.length > 0) {
      const first = failures[0];
      throw first instanceof VideoProviderError ? first : new Error(`ending the session failed for ${failures.length} call(s)`, {cause: first});
    }
  }

  async listParticipants(session: SessionRef): Promise<ProviderParticipant[]> {
    // Vonage's list names connections only: who they are is known from their callbacks.
    return (await this.listConnections(session.sessionId)).map(c => ({participantId: c.connectionId, state: c.state, identity: null}));
  }

  async startRecording(session: SessionRef, options: StartRecordingOptions): Promise<ProviderArchive> {
    return this.withObjectKey(await this.live.startArchive(session.sessionId, options));
  }

  async stopRecording(_session: SessionRef, archiveId: string): Promise<ProviderArchive> {
    return this.withObjectKey(await this.live.stopArchive(archiveId));
  }

  setRecordingLayout(archiveId: string, layout: RecordingLayout): Promise<void> {
    return this.live.setLayout(archiveId, layout);
  }

  removeParticipant(session: SessionRef, participant: ParticipantRef): Promise<void> {
    return this.disconnect(session.sessionId, participant.participantId);
  }

  muteAll(session: SessionRef, except: readonly ParticipantRef[]): Promise<void> {
    return this.live.muteAll(session.sessionId, except);
  }

  muteParticipants(session: SessionRef, participants: readonly ParticipantRef[]): Promise<void> {
    return this.live.muteParticipants(session.sessionId, participants);
  }

  signal(session: SessionRef, message: SignalMessage, to?: readonly ParticipantRef[]): Promise<void> {
    return this.live.signal(session.sessionId, message, to);
  }

  /** The cursor is Vonage's offset. */
  async listArchives(session: SessionRef, cursor?: string | null): Promise<ArchivePage> {
    const offset = cursor && /^\d{1,9}$/.test(cursor) ? Number(cursor) : 0;
    const page = await this.searchArchives({sessionId: session.sessionId, offset, count: ARCHIVE_PAGE_SIZE});
    const next = offset + page.items.length;
    return {items: page.items.map(a => this.withObjectKey(a)), nextCursor: page.items.length === ARCHIVE_PAGE_SIZE && next < page.count ? String(next) : null};
  }

  parseWebhook(request: WebhookRequest): WebhookResult {
    return this.webhooks.parse(request);
  }

  async close(): Promise<void> {
    await this.tokens.close();
  }

  /** An unknown (e.g. expired) session has no connections: 404 answers `[]`. */
  async listConnections(sessionId: string): Promise<VonageConnectionState[]> {
    this.assertId('connection list', sessionId);
    const url = `${this.projectUrl()}/session/${sessionId}/connection`;
    const data = await this.call('connection list', async () => (await this.video.sendGetRequest<unknown>(url)).data, {notFoundAs: {items: []}});
    return toProviderConnections(data);
  }

  /** 404 (already gone) counts as disconnected. */
  async disconnect(sessionId: string, connectionId: string): Promise<void> {
    this.assertId('disconnect', sessionId, connectionId);
    await this.call('disconnect', () => this.video.disconnectClient(sessionId, connectionId), {notFoundAs: undefined});
  }

  /** One page of Vonage's archive list, by offset. */
  async searchArchives(search: {sessionId: string; offset: number; count: number}): Promise<VonageArchivePage> {
    this.assertId('archive list', search.sessionId);
    const page = await this.call('archive list', () => this.video.searchArchives({sessionId: search.sessionId, offset: search.offset, count: search.count}));
    return toArchivePage(page);
  }

  async getArchive(archiveId: string): Promise<ProviderArchive> {
    this.assertId('archive get', archiveId);
    const archive = await this.call('archive get', () => this.video.getArchive(archiveId));
    return this.withObjectKey(toProviderArchive(archive as unknown as VonageArchive));
  }

  /**
   * 409 means the archive is not recording (already stopped, or stopping by
   * itself): the wanted end state, so it succeeds. 404 still throws.
   */
  async stopArchive(archiveId: string): Promise<void> {
    this.assertId('archive stop', archiveId);
    try {
      await this.call('archive stop', () => this.video.stopArchive(archiveId));
    } catch (error) {
      if ((error as VideoProviderError).code !== 'PROVIDER_CONFLICT') throw error;
    }
  }

  /** 409 unless the archive is `available` or `uploaded`: recording, still processing, failed or expired. */
  async deleteArchive(archiveId: string): Promise<void> {
    this.assertId('archive delete', archiveId);
    await this.call('archive delete', () => this.video.deleteArchive(archiveId));
  }

  /**
   * OpenTok-compatible storage call when the project key/secret are configured;
   * unified-platform applications have no such API, so we say where to set it.
   */
  async applyStorageTarget(target: ProviderStorageTarget | null): Promise<StorageTargetApplyResult> {
    if (!this.storageTarget) return {applied: false, notice: UNIFIED_PLATFORM_NOTICE};
    await this.storageTarget.apply(target);
    return {applied: true};
  }

  /** Where Vonage writes the archive in the storage target, once it says `uploaded`. */
  private withObjectKey(archive: VonageMappedArchive): ProviderArchive {
    return {...archive, objectKey: archive.status === 'uploaded' ? vonageArchiveObjectKey(this.applicationId, archive.id, archive.outputMode) : null};
  }

  private projectUrl(): string {
    return `${this.options.videoHost}/v2/project/${this.applicationId}`;
  }

  private assertId(operation: string, ...ids: string[]): void {
    if (ids.every(id => typeof id === 'string' && SAFE_ID.test(id))) return;
    throw new VideoProviderError({provider: this.name, code: 'PROVIDER_NOT_FOUND', message: `vonage ${operation} failed: the id is not one Vonage issues`});
  }

  /**
   * Runs one SDK call; every failure becomes a VideoProviderError (no request, key or JWT in it).
   * `withReason` adds Vonage's own message of a 4xx (e.g. why a recording cannot start) for the client.
   */
  private async call<T>(operation: string, request: () => Promise<T>, options?: {notFoundAs?: T; withReason?: boolean}): Promise<T> {
    try {
      return await request();
    } catch (error) {
      const status = httpStatusOf(error);
      if (status === 404 && options && 'notFoundAs' in options) return options.notFoundAs as T;
      const mapped = VideoProviderError.fromStatus(this.name, status, operation, safeCause(error, status));
      const reason = options?.withReason && status !== undefined && status < 500 ? await vonageReason(error) : null;
      if (!reason) throw mapped;
      throw new VideoProviderError({provider: this.name, code: mapped.code, status, message: `${mapped.message}: ${reason}`, cause: mapped.cause});
    }
  }
}

/**
 * The HTTP status of a failed SDK call: the SDK throws `VetchError` with the
 * fetch Response on `.response`. Transport errors and timeouts (AbortError) have
 * none; nor does a 2xx whose body did not decode, which is the provider's fault
 * rather than ours, so both read as "did not answer".
 */
function httpStatusOf(error: unknown): number | undefined {
  const status = (error as {response?: {status?: unknown}} | undefined)?.response?.status;
  return typeof status === 'number' && status >= 300 ? status : undefined;
}

/** Vonage's `{code, message}` body of a refused call (the SDK leaves it unread), cut short; null when none. */
async function vonageReason(error: unknown): Promise<string | null> {
  try {
    const response = (error as {response?: {text?: () => Promise<string>}}).response;
    const body = response?.text ? (JSON.parse(await response.text()) as {message?: unknown}) : null;
    return typeof body?.message === 'string' && body.message !== '' ? body.message.slice(0, 300) : null;
  } catch {
    return null;
  }
}

/** VetchError carries the signed request (`Authorization: Bearer <jwt>`): keep only name, message and status. */
function safeCause(error: unknown, status: number | undefined): Error {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`${name}: ${message}${status ? ` (HTTP ${status})` : ''}`);
}
