import {createHash} from 'node:crypto';
import type {ArchiveStatus} from '../types';
import type {ReceivedVideoEvent, VideoEvent} from '../video-event';
import {completedStatus, time, toArchiveUpdate, ZoomRecording} from './zoom-recording.mapper';

type Json = Record<string, unknown>;

/** Thrown when a verified webhook is not the JSON object Zoom sends (the route answers 400, as for Vonage). */
export class ZoomPayloadError extends Error {
  readonly code = 'VALIDATION_FAILED';
}

/** The envelope every Zoom webhook shares (provider-facts §B1). */
export interface ZoomWebhookEnvelope {
  event: string;
  /** Epoch milliseconds, as Zoom sends it; null when absent. */
  eventTs: number | null;
  payload: Json;
  /** Top-level on `session.recording_completed`: downloads for 24 h. */
  downloadToken: string | null;
}

export function parseZoomEnvelope(rawBody: Buffer): ZoomWebhookEnvelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new ZoomPayloadError('Webhook body is not valid JSON');
  }
  if (!isObject(parsed)) throw new ZoomPayloadError('Webhook body must be a JSON object');
  return {
    event: typeof parsed.event === 'string' ? parsed.event : '',
    eventTs: typeof parsed.event_ts === 'number' && Number.isFinite(parsed.event_ts) ? parsed.event_ts : null,
    payload: isObject(parsed.payload) ? parsed.payload : {},
    downloadToken: typeof parsed.download_token === 'string' && parsed.download_token !== '' ? parsed.download_token : null,
  };
}

/** Recording events → the neutral status; `completed` waits for every file (completedStatus). */
const RECORDING_STATUSES: Readonly<Record<string, ArchiveStatus | 'completed'>> = {
  'session.recording_started': 'started',
  'session.recording_paused': 'paused',
  'session.recording_resumed': 'started',
  'session.recording_stopped': 'stopped',
  'session.recording_completed': 'completed',
  'session.recording_trashed': 'deleted',
  'session.recording_deleted': 'deleted',
};

/** Understood and of no use here: the recording's files are reported by `recording_completed`. */
const IGNORED_EVENTS: readonly string[] = [
  'session.recording_transcript_completed',
  'session.recording_transcript_failed',
  'session.recording_summary_completed',
];

/** One Zoom webhook → one neutral event with its dedupe key; the recorded type is Zoom's own event name. */
export function mapZoomWebhook(envelope: ZoomWebhookEnvelope, rawBody: Buffer): ReceivedVideoEvent {
  const object = isObject(envelope.payload.object) ? envelope.payload.object : {};
  const event = toEvent(envelope, object);
  return {
    event,
    dedupeKey: dedupeKeyOf(envelope, object, event, rawBody),
    recordedType: envelope.event || 'unknown',
    payloadJson: rawBody.toString('utf8'),
  };
}

/**
 * The session the service stored is the id `POST /videosdk/sessions` answered, which session and user
 * events carry as `id`. Recording events carry only the instance UUID `session_id` (and the name):
 * for a session's first instance Zoom issues the same id (see decisions), so it is used when `id` is absent.
 */
function sessionIdOf(object: Json): string | null {
  return text(object.id) ?? text(object.session_id);
}

function toEvent(envelope: ZoomWebhookEnvelope, object: Json): VideoEvent {
  const name = envelope.event || 'unknown';
  const sessionId = sessionIdOf(object);
  const sentAt = envelope.eventTs !== null ? new Date(envelope.eventTs) : new Date();
  if (!sessionId) return {type: 'unsupported', sessionId: null, providerEvent: name};
  switch (name) {
    case 'session.started':
      return {type: 'session.started', sessionId, occurredAt: time(object.start_time) ?? sentAt};
    case 'session.ended':
      return {type: 'session.ended', sessionId, reason: null, occurredAt: time(object.end_time) ?? sentAt};
    case 'session.user_joined':
    case 'session.user_left': {
      const user = isObject(object.user) ? object.user : {};
      const participantId = text(user.participant_uuid);
      if (!participantId) break;
      const joinKey = text(user.user_key);
      const attendee = joinKey ? {joinKey} : null;
      if (name === 'session.user_joined') {
        return {type: 'participant.joined', sessionId, participantId, attendee, occurredAt: time(user.join_time) ?? sentAt};
      }
      return {type: 'participant.left', sessionId, participantId, attendee, reason: text(user.leave_reason), occurredAt: time(user.leave_time) ?? sentAt};
    }
  }
  const recordingStatus = RECORDING_STATUSES[name];
  if (recordingStatus) {
    const recording = object as ZoomRecording;
    const status = recordingStatus === 'completed' ? completedStatus(recording) : recordingStatus;
    const token = recordingStatus === 'completed' ? envelope.downloadToken : null;
    const archive = toArchiveUpdate(recording, status, token, sentAt);
    if (archive) return {type: 'archive.status', sessionId, sessionName: text(object.session_name), archive, occurredAt: sentAt};
  }
  if (IGNORED_EVENTS.includes(name)) return {type: 'ignored', sessionId, providerEvent: name};
  return {type: 'unsupported', sessionId, providerEvent: name};
}

/**
 * Zoom sends no delivery id (§B1): the key names the occurrence, the same on each of Zoom's retries
 * (they resend the same body): event, session and instance ids, the participant, and `event_ts`.
 */
function dedupeKeyOf(envelope: ZoomWebhookEnvelope, object: Json, event: VideoEvent, rawBody: Buffer): string {
  const user = isObject(object.user) ? object.user : {};
  const parts =
    event.type === 'unsupported' || envelope.eventTs === null
      ? ['raw', sha256(rawBody)]
      : [envelope.event, text(object.id) ?? '', text(object.session_id) ?? '', text(user.participant_uuid) ?? text(user.id) ?? '', String(envelope.eventTs)];
  return `zoom:${sha256(JSON.stringify(parts))}`;
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
