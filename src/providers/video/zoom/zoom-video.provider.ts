import {JOIN_DATA_MAX_CHARS} from '../types';
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
  SessionRef,
  StartRecordingOptions,
  StorageTargetApplyResult,
  VideoProvider,
} from '../types';
import type {WebhookRequest, WebhookResult} from '../video-event';
import {ZoomLiveControl} from './zoom-live-control';
import {ZoomJoinTokenSigner, ZOOM_JOIN_TOKEN_MAX_SECONDS} from './zoom-join-token';
import {ZoomRecordingsClient, ZOOM_DOWNLOAD_TOKEN_TTL_SECONDS} from './zoom-recordings.client';
import {ZoomRestAuth} from './zoom-rest-auth';
import {expectOk, isRecord, malformedReply, zoomErrorCode, zoomMessage, ZoomReply, ZoomRestClient} from './zoom-rest.client';
import {zoomPathSegment, zoomSessionName} from './zoom-session-name';
import {ZoomStorageTarget} from './zoom-storage-target';
import {ZoomWebhookVerifier} from './zoom-webhook.verifier';
import {ZoomWebhooks} from './zoom-webhooks';
import {validateZoomOptions, ZoomProviderOptions} from './zoom.options';

/** What the Zoom Video SDK supports, and its limits (provider-facts §B; choices in docs/decisions.md). */
export const ZOOM_CAPABILITIES: ProviderCapabilities = {
  roles: ['publisher', 'moderator'],
  endToEndEncryption: false,
  automaticRecording: true,
  manualRecording: true,
  pauseRecording: true,
  recordingLayout: false,
  signals: false,
  muting: true,
  storageKinds: ['s3'],
  // Zoom accepts a join token living 30 minutes to 48 hours; two hours unless the caller asks otherwise.
  joinTokenTtl: {minSeconds: 1800, maxSeconds: ZOOM_JOIN_TOKEN_MAX_SECONDS, defaultSeconds: 7200},
  // The shorter of the two URL lifetimes: a webhook's download_token lasts 24 h, the fresh tokens we ask for one hour.
  recordingUrlTtlSeconds: ZOOM_DOWNLOAD_TOKEN_TTL_SECONDS,
  // Zoom keeps cloud recordings until they are deleted, or until the account's auto-delete setting (30 days at the least).
  recordingRetentionHours: 30 * 24,
  // The token carries only the join key; the service keeps the identity it stands for.
  joinIdentity: {maxAttendeeIdChars: 256, maxDataChars: JOIN_DATA_MAX_CHARS, keyed: true},
};

/** `users` Zoom lists per page, and the most pages read (30,000 participants). */
const USER_PAGE_SIZE = 300;
const MAX_USER_PAGES = 100;
/** "The session has not started or has already ended": Zoom answers 400 with this code (as our emulator does). */
const NOT_LIVE_CODE = 3003;
const NOT_LIVE = /not (been )?(started|in progress|live)|already ended|has ended/i;

/** VideoProvider over the Zoom Video SDK REST API (no Zoom SDK: plain fetch, provider-facts §B). */
export class ZoomVideoProvider implements VideoProvider {
  readonly name = 'zoom';
  readonly capabilities = ZOOM_CAPABILITIES;
  private readonly rest: ZoomRestClient;
  private readonly tokens: ZoomJoinTokenSigner;
  private readonly recordings: ZoomRecordingsClient;
  private readonly storage: ZoomStorageTarget;
  private readonly webhooks: ZoomWebhooks;
  private readonly live: ZoomLiveControl;
  private readonly now: () => number;

  constructor(options: ZoomProviderOptions) {
    validateZoomOptions(options);
    const now = options.now ?? Date.now;
    this.now = now;
    this.rest = new ZoomRestClient(options.apiHost, new ZoomRestAuth(options.apiKey, options.apiSecret, now), options.timeoutMs);
    this.tokens = new ZoomJoinTokenSigner(options.sdkKey, options.sdkSecret, now);
    this.recordings = new ZoomRecordingsClient(this.rest, now);
    this.storage = new ZoomStorageTarget(this.rest, options.s3Region);
    this.live = new ZoomLiveControl(this.rest);
    this.webhooks = new ZoomWebhooks(
      new ZoomWebhookVerifier({secretTokens: options.webhookSecretTokens, toleranceSeconds: options.webhookToleranceSeconds, now}),
    );
  }

  async createSession(options: CreateSessionOptions): Promise<SessionRef> {
    // The service checks capabilities first: an encrypted session must not be created unencrypted.
    if (options.endToEndEncryption) throw new Error('Zoom sessions cannot be end-to-end encrypted (capabilities.endToEndEncryption)');
    const sessionName = zoomSessionName(options.meetingLinkId);
    const body = await this.rest.call('session create', {
      method: 'POST',
      path: '/videosdk/sessions',
      body: {session_name: sessionName, settings: {auto_recording: options.automaticRecording ? 'cloud' : 'none'}},
    });
    if (!isRecord(body) || typeof body.session_id !== 'string' || body.session_id === '')
      throw malformedReply('session create', 'the reply held no session_id');
    return {sessionId: body.session_id, sessionName: typeof body.session_name === 'string' && body.session_name ? body.session_name : sessionName};
  }

  /**
   * One call ends the session for everyone and stops its recording. A session that never started or
   * already ended (404, or 400 "not in progress") is ended already: the call is idempotent.
   */
  async endSession(session: SessionRef, _hints: EndSessionHints): Promise<void> {
    const reply = await this.rest.send('session end', {
      method: 'PUT',
      path: `/videosdk/sessions/${zoomPathSegment(session.sessionId)}/status`,
      body: {action: 'end'},
    });
    if (isNotLive(reply)) return;
    expectOk('session end', reply);
  }

  /** Local HS256 signing with the SDK secret (a KeyObject made once); no network. */
  async issueJoinCredentials(session: SessionRef, request: JoinCredentialsRequest): Promise<JoinCredentials> {
    if (!session.sessionName) throw new Error('A Zoom session is joined by its name: the session reference has none');
    return {token: this.tokens.sign(session.sessionName, request), clientFields: {sessionName: session.sessionName}};
  }

  /** Live users, page by page; a session not live (or unknown) has none. */
  async listParticipants(session: SessionRef): Promise<ProviderParticipant[]> {
    const participants: ProviderParticipant[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_USER_PAGES; page++) {
      const reply = await this.rest.send('participant list', {
        method: 'GET',
        path: `/videosdk/sessions/${zoomPathSegment(session.sessionId)}/users`,
        query: {type: 'live', page_size: String(USER_PAGE_SIZE), next_page_token: pageToken},
      });
      if (isNotLive(reply)) return participants;
      const body = expectOk('participant list', reply);
      if (!isRecord(body) || !Array.isArray(body.users)) throw malformedReply('participant list', 'the reply held no users');
      for (const user of body.users as unknown[]) {
        if (!isRecord(user) || typeof user.participant_uuid !== 'string') continue;
        // The join key our token put in `user_key` says who it is.
        const identity = typeof user.user_key === 'string' && user.user_key !== '' ? {joinKey: user.user_key} : null;
        participants.push({participantId: user.participant_uuid, state: 'connected', identity});
      }
      pageToken = typeof body.next_page_token === 'string' && body.next_page_token !== '' ? body.next_page_token : undefined;
      if (!pageToken) break;
    }
    return participants;
  }

  listArchives(session: SessionRef, cursor?: string | null): Promise<ArchivePage> {
    return this.recordings.listArchives(session, cursor);
  }

  getArchive(archiveId: string): Promise<ProviderArchive> {
    return this.recordings.getArchive(archiveId);
  }

  deleteArchive(archiveId: string): Promise<void> {
    return this.recordings.deleteArchive(archiveId);
  }

  parseWebhook(request: WebhookRequest): WebhookResult {
    return this.webhooks.parse(request);
  }

  applyStorageTarget(target: ProviderStorageTarget | null): Promise<StorageTargetApplyResult> {
    return this.storage.apply(target);
  }

  startRecording(session: SessionRef, options: StartRecordingOptions): Promise<ProviderArchive> {
    return this.live.startRecording(session, options, new Date(this.now()));
  }

  /** Zoom answers nothing about the recording: its callbacks do. */
  async stopRecording(session: SessionRef): Promise<null> {
    await this.live.recording(session, 'recording.stop');
    return null;
  }

  pauseRecording(session: SessionRef): Promise<void> {
    return this.live.recording(session, 'recording.pause');
  }

  resumeRecording(session: SessionRef): Promise<void> {
    return this.live.recording(session, 'recording.resume');
  }

  removeParticipant(session: SessionRef, participant: ParticipantRef): Promise<void> {
    return this.live.removeParticipant(session, participant);
  }

  /** Zoom has no session-wide mute: every live participant but the excepted ones is blocked, one call each. */
  async muteAll(session: SessionRef, except: readonly ParticipantRef[]): Promise<void> {
    const kept = new Set(except.map(p => p.participantId));
    const live = await this.listParticipants(session);
    await this.live.blockAudio(
      session,
      live.map(p => p.participantId).filter(id => !kept.has(id)),
    );
  }

  muteParticipants(session: SessionRef, participants: readonly ParticipantRef[]): Promise<void> {
    return this.live.blockAudio(
      session,
      participants.map(p => p.participantId),
    );
  }
}

function isNotLive(reply: ZoomReply): boolean {
  if (reply.status === 404) return true;
  return reply.status === 400 && (zoomErrorCode(reply.body) === NOT_LIVE_CODE || NOT_LIVE.test(zoomMessage(reply.body)));
}
