import type {ProviderArchive} from './types';

/** Provider callbacks, normalised. Times come from the event itself, not our clock. */
export type VideoEvent =
  | {type: 'connection.created'; sessionId: string; connectionId: string; connectionData: string | null; occurredAt: Date}
  | {type: 'connection.destroyed'; sessionId: string; connectionId: string; connectionData: string | null; reason: string | null; occurredAt: Date}
  | {type: 'stream.created'; sessionId: string; streamId: string; connectionId: string; connectionData: string | null; connectedAt: Date; occurredAt: Date}
  | {type: 'stream.destroyed'; sessionId: string; streamId: string; connectionId: string; connectionData: string | null; reason: string | null; occurredAt: Date}
  | {type: 'session.created'; sessionId: string; occurredAt: Date}
  | {type: 'session.destroyed'; sessionId: string; reason: string | null; occurredAt: Date}
  | {type: 'archive.status'; sessionId: string; archive: ArchiveUpdate; occurredAt: Date}
  | {type: 'unsupported'; sessionId: string | null; providerEvent: string};

/** An archive's state as a callback reports it (the session is on the event). */
export type ArchiveUpdate = Omit<ProviderArchive, 'sessionId'>;

/** A parsed event plus the key that makes its delivery idempotent. */
export interface ReceivedVideoEvent {
  event: VideoEvent;
  /** Same for every delivery of the same occurrence (retries, duplicates). */
  dedupeKey: string;
  /** The body as received (checked to be a JSON object), kept with the callback record. */
  payloadJson: string;
}

/** Stream ends that leave the participant connected (they stopped publishing only). */
export const STREAM_ENDS_KEEPING_CONNECTION: readonly string[] = ['forceUnpublished', 'mediaStopped'];
