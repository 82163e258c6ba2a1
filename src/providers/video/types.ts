import type {StorageType} from '../storage/types';
import type {ProviderArchive} from './archive';
import type {ParticipantRef, RecordingLayout, SignalMessage, StartRecordingOptions} from './live-control';
import type {AttendeeIdentity, WebhookRequest, WebhookResult} from './video-event';

export {ARCHIVE_STATUSES, ARCHIVE_STATUS_RANK} from './archive';
export type {ArchiveFile, ArchiveOutputMode, ArchiveStatus, ProviderArchive} from './archive';
export {RECORDING_LAYOUT_TYPES} from './live-control';
export type {ParticipantRef, RecordingLayout, SignalMessage, StartRecordingOptions} from './live-control';

/**
 * The vendor-neutral contract between the meeting logic and a video platform.
 * Only neutral types cross it: each vendor's shapes stay in its own folder.
 */

export type ParticipantRole = 'publisher' | 'subscriber' | 'moderator' | 'publisheronly';
export const PARTICIPANT_ROLES: readonly ParticipantRole[] = ['publisher', 'subscriber', 'moderator', 'publisheronly'];

/** What a provider can do and the bounds it sets; services check these instead of naming a provider. */
export interface ProviderCapabilities {
  /** Roles a join credential can carry. */
  roles: readonly ParticipantRole[];
  /** Media encrypted end to end (the provider's servers cannot record it). */
  endToEndEncryption: boolean;
  /** Recording every session from its start, chosen when the session is created. */
  automaticRecording: boolean;
  /** Starting and stopping a recording while the session runs. */
  manualRecording: boolean;
  /** Pausing and resuming a recording started by hand. */
  pauseRecording: boolean;
  /** Changing a recording's layout while it records. */
  recordingLayout: boolean;
  /** Sending messages (signals) to participants' clients. */
  signals: boolean;
  /** Muting participants' audio at the server (everyone, some, or one). */
  muting: boolean;
  /** Where the provider can upload recordings. */
  storageKinds: readonly StorageType[];
  joinTokenTtl: {minSeconds: number; maxSeconds: number; defaultSeconds: number};
  /** Lifetime of a download URL the provider hosts; null when it hosts none. */
  recordingUrlTtlSeconds: number | null;
  /** How long the provider keeps a recording it hosts. */
  recordingRetentionHours: number;
  /**
   * What join credentials can carry to the other participants: the attendee id (UTF-16 code units)
   * and the caller's `data` (characters, as JSON Schema's maxLength counts them) that fit whatever
   * the provider wraps them in. At least JOIN_DATA_MAX_CHARS for `maxDataChars`.
   */
  joinIdentity: {
    maxAttendeeIdChars: number;
    maxDataChars: number;
    /**
     * True when the credential cannot carry the attendee id and data themselves (Zoom's `user_key`
     * holds 36 characters): the service then issues a join key (a UUID), stores what it stands for,
     * passes it as `JoinCredentialsRequest.joinKey`, and callbacks name it in `joinKey`.
     */
    keyed: boolean;
  };
}

/**
 * The `data` a join request may carry, as the API states it (its OpenAPI maxLength): the most every
 * provider can pass on. Vonage is the tightest (its connection data, see vonage/connection-data.ts).
 */
export const JOIN_DATA_MAX_CHARS = 362;

/** How the service refers to a provider session; `sessionName` only where the provider joins by name. */
export interface SessionRef {
  sessionId: string;
  sessionName?: string | null;
}

export interface CreateSessionOptions {
  /** The meeting's link id, for providers that name sessions. */
  meetingLinkId: string;
  /** Record the whole session from its start (capability `automaticRecording`). */
  automaticRecording: boolean;
  /** Capability `endToEndEncryption`. */
  endToEndEncryption: boolean;
}

export interface JoinCredentialsRequest {
  /** The attendee id the service issues (the bearer user); callbacks name it again. */
  attendeeId: string;
  role: ParticipantRole;
  expiresAt: Date;
  /** The caller's free-form data, passed on to the other participants. */
  data?: string;
  /** Only for keyed providers (capabilities.joinIdentity.keyed): what the credential carries instead of the identity. */
  joinKey?: string;
}

export interface JoinCredentials {
  token: string;
  /** What the client SDK needs beside the token (Vonage: `sessionId`, `applicationId`; Zoom: `sessionName`). */
  clientFields: Readonly<Record<string, string>>;
}

export interface ProviderParticipant {
  participantId: string;
  state: 'connecting' | 'connected' | 'disconnected';
  /** Who it is, where the provider's list says (Zoom: the join key in `user_key`); null when the list does not (Vonage). */
  identity: AttendeeIdentity | null;
}

export interface ArchivePage {
  items: ProviderArchive[];
  /** Opaque; null on the last page. */
  nextCursor: string | null;
}

/** Storage target as the provider receives it (secrets in clear: never log this). */
export type ProviderStorageTarget =
  | {type: 's3'; bucket: string; accessKey: string; secretKey: string; endpoint?: string; fallback: 'none' | 'provider'}
  | {type: 'azure'; accountName: string; accountKey: string; container: string; domain?: string; fallback: 'none' | 'provider'};

/** Outcome of asking the provider to upload archives to our storage. */
export type StorageTargetApplyResult = {applied: true} | {applied: false; notice: string};

/** What ending a session should also close: what our records know, beside what the provider lists. */
export interface EndSessionHints {
  participantIds: readonly string[];
  recordingArchiveIds: readonly string[];
}

export interface VideoProvider {
  /** Stable provider name, e.g. `vonage`; stored with every meeting. */
  readonly name: string;
  readonly capabilities: ProviderCapabilities;

  createSession(options: CreateSessionOptions): Promise<SessionRef>;
  /** Removes every participant and stops recordings; idempotent (a retry finishes what is left). */
  endSession(session: SessionRef, hints: EndSessionHints): Promise<void>;
  /** Signs locally, no network (possibly on another thread, hence the promise). */
  issueJoinCredentials(session: SessionRef, request: JoinCredentialsRequest): Promise<JoinCredentials>;
  listParticipants(session: SessionRef): Promise<ProviderParticipant[]>;

  listArchives(session: SessionRef, cursor?: string | null): Promise<ArchivePage>;
  getArchive(archiveId: string): Promise<ProviderArchive>;
  /** Throws VideoProviderError `PROVIDER_CONFLICT` while the archive is recording, or otherwise not deletable yet (or at all). */
  deleteArchive(archiveId: string): Promise<void>;

  /** Verifies and parses a callback over its raw bytes; throws WebhookVerificationError when unsigned or forged. */
  parseWebhook(request: WebhookRequest): WebhookResult;

  applyStorageTarget(target: ProviderStorageTarget | null): Promise<StorageTargetApplyResult>;

  /**
   * Starts recording the live session (capability `manualRecording`); answers the archive as started.
   * Throws VideoProviderError `PROVIDER_CONFLICT`, its message naming the provider's reason, when the provider refuses.
   */
  startRecording(session: SessionRef, options: StartRecordingOptions): Promise<ProviderArchive>;
  /** Stops a recording; the archive as the provider answers it, or null when it answers nothing. */
  stopRecording(session: SessionRef, archiveId: string): Promise<ProviderArchive | null>;
  /** Capability `pauseRecording`. */
  pauseRecording?(session: SessionRef, archiveId: string): Promise<void>;
  resumeRecording?(session: SessionRef, archiveId: string): Promise<void>;
  /** Capability `recordingLayout`. */
  setRecordingLayout?(archiveId: string, layout: RecordingLayout): Promise<void>;
  /** Removes one live participant (connection); one already gone counts as removed. */
  removeParticipant(session: SessionRef, participant: ParticipantRef): Promise<void>;
  /** Capability `muting`: mutes everyone's audio but the excepted participants'. */
  muteAll?(session: SessionRef, except: readonly ParticipantRef[]): Promise<void>;
  /** Capability `muting`: mutes these participants' audio. */
  muteParticipants?(session: SessionRef, participants: readonly ParticipantRef[]): Promise<void>;
  /** Capability `signals`: to everyone, or to the given participants only. */
  signal?(session: SessionRef, message: SignalMessage, to?: readonly ParticipantRef[]): Promise<void>;

  /** Releases threads or connections the provider holds; called once when the service stops. */
  close?(): Promise<void>;
}
