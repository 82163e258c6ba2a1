import type {ArchiveStorageFactory} from '../../providers/storage/types';
import type {Background} from '../background';
import {EmulatorHttpError} from '../http-utils';
import {ZOOM_CODES, ZoomApiError} from './zoom-api-error';
import type {JoinClaims} from './zoom-emulator-auth';
import type {ZoomEmulatedInstance, ZoomEmulatedSession, ZoomEmulatedUser, ZoomEmulatorState} from './zoom-emulator-state';
import {fileJson, recordingFiles, uploadToOwnStorage} from './zoom-recording-files';
import type {ZoomWebhookSender} from './zoom-webhook-sender';

/** How long Zoom takes after the fact; tests shorten it. */
export interface ZoomEmulatorTiming {
  /** From the end of a session to `session.recording_completed` (Zoom: minutes). */
  recordingProcessingMs: number;
}

export const ZOOM_TIMING: Readonly<ZoomEmulatorTiming> = {recordingProcessingMs: 1000};

/** A webhook's `download_token` opens the files for 24 hours (provider-facts §B4). */
const WEBHOOK_DOWNLOAD_TOKEN_SECONDS = 24 * 3600;

export interface ZoomSessionFlowOptions {
  state: ZoomEmulatorState;
  webhooks: ZoomWebhookSender;
  background: Background;
  timing: ZoomEmulatorTiming;
  storageFactory?: ArchiveStorageFactory;
  /** `http://host:port`, where downloads are served. */
  origin: () => string;
  log: (message: string, fields?: object) => void;
}

export type RecordingAction = 'start' | 'stop' | 'pause' | 'resume';

/**
 * What Zoom does as users come and go: the first join starts an instance (`session.started`, and the
 * cloud recording when `auto_recording` is `cloud`); the last one leaving, or the end call, ends it:
 * `user_left` for everyone, the recording stopped, `session.ended`, then `recording_completed` once processed.
 * Webhooks are delivered before the caller is answered.
 */
export class ZoomSessionFlow {
  constructor(private readonly o: ZoomSessionFlowOptions) {}

  async join(session: ZoomEmulatedSession, claims: JoinClaims, name: string): Promise<{user: ZoomEmulatedUser; instance: ZoomEmulatedInstance}> {
    let instance = this.o.state.liveInstance(session);
    if (!instance) {
      instance = this.o.state.startInstance(session);
      await this.send(session, instance, 'session.started', {});
      if (session.autoRecording === 'cloud') await this.recording(session, 'start');
    }
    const user = this.o.state.newUser(name, claims.userKey, claims.roleType);
    instance.users.push(user);
    await this.send(session, instance, 'session.user_joined', {user: this.userJson(user, 'join')});
    return {user, instance};
  }

  async leave(session: ZoomEmulatedSession, participantUuid: string, reason = 'left the session'): Promise<void> {
    const instance = this.o.state.liveInstance(session);
    const user = instance?.users.find(u => u.participantUuid === participantUuid && u.leaveTime === null);
    if (!instance || !user) throw new EmulatorHttpError(404, 'No such participant in a live session');
    await this.userLeft(session, instance, user, reason);
    if (instance.users.every(u => u.leaveTime !== null)) await this.endInstance(session, instance);
  }

  /** `PUT .../status {action: end}`: 400 unless live (code 3003). */
  async end(session: ZoomEmulatedSession): Promise<void> {
    const instance = this.o.state.liveInstance(session);
    if (!instance) throw new ZoomApiError(400, ZOOM_CODES.sessionNotLive, 'The session has not started or has already ended.');
    for (const user of instance.users.filter(u => u.leaveTime === null)) await this.userLeft(session, instance, user, 'the host ended the session');
    await this.endInstance(session, instance);
  }

  async recording(session: ZoomEmulatedSession, action: RecordingAction): Promise<void> {
    const instance = this.o.state.liveInstance(session);
    if (!instance) throw new ZoomApiError(400, ZOOM_CODES.sessionNotLive, 'The session has not started or has already ended.');
    const recording = instance.recording;
    const next = {start: 'recording', stop: 'stopped', pause: 'paused', resume: 'recording'} as const;
    const allowed = {start: [undefined, 'stopped'], stop: ['recording', 'paused'], pause: ['recording'], resume: ['paused']} as const;
    if (!(allowed[action] as readonly (string | undefined)[]).includes(recording?.state)) {
      throw new ZoomApiError(400, ZOOM_CODES.invalidField, `Cannot ${action} the recording while it is ${recording?.state ?? 'not started'}.`);
    }
    if (!recording) instance.recording = {state: 'recording', startedAt: Date.now(), stoppedAt: null, files: []};
    else recording.state = next[action];
    // One recording per instance: a restart after a stop continues it.
    instance.recording!.stoppedAt = action === 'stop' ? Date.now() : action === 'start' ? null : instance.recording!.stoppedAt;
    const event = {
      start: 'session.recording_started',
      stop: 'session.recording_stopped',
      pause: 'session.recording_paused',
      resume: 'session.recording_resumed',
    }[action];
    await this.sendRecording(session, instance, event, {recording_file: this.recordingTimes(instance)});
  }

  /** A finished recording as `GET .../recordings` and `recording_completed` show it. */
  recordingJson(session: ZoomEmulatedSession, instance: ZoomEmulatedInstance): Record<string, unknown> {
    const files = instance.recording?.files ?? [];
    return {
      ...this.recordingBase(session, instance),
      duration: Math.max(1, Math.round(((instance.recording?.stoppedAt ?? Date.now()) - (instance.recording?.startedAt ?? Date.now())) / 60_000)),
      total_size: files.reduce((sum, f) => sum + f.bytes.length, 0),
      recording_count: files.length,
      recording_files: files.map(f => fileJson(f, instance, this.o.origin())),
      participant_audio_files: [],
      participant_video_files: [],
    };
  }

  private async endInstance(session: ZoomEmulatedSession, instance: ZoomEmulatedInstance): Promise<void> {
    instance.endedAt = Date.now();
    const recording = instance.recording;
    if (recording && (recording.state === 'recording' || recording.state === 'paused')) {
      recording.state = 'stopped';
      recording.stoppedAt = Date.now();
      await this.sendRecording(session, instance, 'session.recording_stopped', {recording_file: this.recordingTimes(instance)});
    }
    await this.send(session, instance, 'session.ended', {end_time: new Date(instance.endedAt).toISOString()});
    if (!recording) return;
    recording.state = 'processing';
    void this.o.background.run(async () => {
      await new Promise(resolve => setTimeout(resolve, this.o.timing.recordingProcessingMs));
      // reset() or a delete forgot it meanwhile.
      if (this.o.state.find(instance.uuid)?.instance !== instance || recording.state !== 'processing') return;
      recording.files = recordingFiles(session);
      await uploadToOwnStorage(this.o.state, this.o.storageFactory, session, recording.files, this.o.log);
      recording.state = 'completed';
      const downloadToken = this.o.state.issueDownloadToken(instance.uuid, WEBHOOK_DOWNLOAD_TOKEN_SECONDS);
      await this.o.webhooks.send(session.id, 'session.recording_completed', this.recordingJson(session, instance), {download_token: downloadToken});
    });
  }

  private async userLeft(session: ZoomEmulatedSession, instance: ZoomEmulatedInstance, user: ZoomEmulatedUser, reason: string): Promise<void> {
    user.leaveTime = Date.now();
    await this.send(session, instance, 'session.user_left', {user: {...this.userJson(user, 'leave'), leave_reason: reason}});
  }

  userJson(user: ZoomEmulatedUser, time: 'join' | 'leave'): Record<string, unknown> {
    const json: Record<string, unknown> = {id: user.userId, name: user.name, participant_uuid: user.participantUuid};
    json[time === 'join' ? 'join_time' : 'leave_time'] = new Date(time === 'join' ? user.joinTime : user.leaveTime!).toISOString();
    if (user.userKey) json.user_key = user.userKey;
    return json;
  }

  /** Session events carry the session id (`id`) and the instance (`session_id`). */
  private send(session: ZoomEmulatedSession, instance: ZoomEmulatedInstance, event: string, extra: Record<string, unknown>): Promise<void> {
    const object = {
      id: session.id,
      session_id: instance.uuid,
      session_name: session.name,
      session_key: '',
      start_time: new Date(instance.startedAt).toISOString(),
      ...extra,
    };
    return this.o.webhooks.send(session.id, event, object);
  }

  /** Recording events carry the instance and the name only (provider-facts §B2). */
  private sendRecording(session: ZoomEmulatedSession, instance: ZoomEmulatedInstance, event: string, extra: Record<string, unknown>): Promise<void> {
    return this.o.webhooks.send(session.id, event, {...this.recordingBase(session, instance), ...extra});
  }

  private recordingBase(session: ZoomEmulatedSession, instance: ZoomEmulatedInstance): Record<string, unknown> {
    return {session_id: instance.uuid, session_name: session.name, session_key: '', start_time: new Date(instance.startedAt).toISOString(), timezone: 'UTC'};
  }

  private recordingTimes(instance: ZoomEmulatedInstance): Record<string, string> {
    const recording = instance.recording!;
    const times: Record<string, string> = {recording_start: new Date(recording.startedAt).toISOString()};
    if (recording.stoppedAt) times.recording_end = new Date(recording.stoppedAt).toISOString();
    return times;
  }
}
