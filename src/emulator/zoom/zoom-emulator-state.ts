import {randomBytes, randomUUID} from 'node:crypto';

/** One user in a session instance; `participantUuid` is per connection, `userId` Zoom's short id. */
export interface ZoomEmulatedUser {
  userId: string;
  participantUuid: string;
  name: string;
  userKey: string | null;
  roleType: 0 | 1;
  joinTime: number;
  leaveTime: number | null;
  /** The host blocked its audio (`audio.block`). */
  audioBlocked?: boolean;
}

export interface ZoomEmulatedFile {
  id: string;
  fileType: 'MP4' | 'M4A' | 'TRANSCRIPT';
  extension: 'MP4' | 'M4A' | 'VTT';
  bytes: Buffer;
  contentType: string;
  /** Set when written to bring-your-own storage. */
  externalStorageUrl: string | null;
}

export type ZoomRecordingState = 'recording' | 'paused' | 'stopped' | 'processing' | 'completed' | 'deleted';

/** One recording per session instance; its files appear once the instance has ended and been processed. */
export interface ZoomEmulatedRecording {
  state: ZoomRecordingState;
  startedAt: number;
  stoppedAt: number | null;
  files: ZoomEmulatedFile[];
}

/** A run of a session: from the first join to the end. The first run's UUID is the session id (see decisions). */
export interface ZoomEmulatedInstance {
  uuid: string;
  startedAt: number;
  endedAt: number | null;
  users: ZoomEmulatedUser[];
  recording: ZoomEmulatedRecording | null;
}

export interface ZoomEmulatedSession {
  id: string;
  name: string;
  autoRecording: 'cloud' | 'none';
  createdAt: number;
  instances: ZoomEmulatedInstance[];
}

export interface ZoomStorageLocation {
  id: string;
  name: string;
  s3: {region: string; bucket: string; accessKeyId: string; secretAccessKey: string};
}

/** The emulator's world. Secrets of storage locations stay here: /_emulator/state never shows them. */
export class ZoomEmulatorState {
  readonly sessions = new Map<string, ZoomEmulatedSession>();
  readonly storageLocations = new Map<string, ZoomStorageLocation>();
  storage: {bringOurOwnStorage: boolean; storageLocationId: string | null} = {bringOurOwnStorage: false, storageLocationId: null};
  /** Download tokens → what they open, until when (epoch ms). */
  readonly downloadTokens = new Map<string, {instanceUuid: string; expiresAt: number}>();

  createSession(name: string, autoRecording: 'cloud' | 'none'): ZoomEmulatedSession {
    const session: ZoomEmulatedSession = {id: zoomUuid(), name, autoRecording, createdAt: Date.now(), instances: []};
    this.sessions.set(session.id, session);
    return session;
  }

  /** By session id or by an instance's UUID (Zoom's session paths take either). */
  find(id: string): {session: ZoomEmulatedSession; instance: ZoomEmulatedInstance | null} | null {
    const session = this.sessions.get(id);
    if (session) return {session, instance: session.instances.at(-1) ?? null};
    for (const candidate of this.sessions.values()) {
      const instance = candidate.instances.find(i => i.uuid === id);
      if (instance) return {session: candidate, instance};
    }
    return null;
  }

  /** Zoom compares session names case-insensitively. */
  findByName(name: string): ZoomEmulatedSession | undefined {
    const wanted = name.toLowerCase();
    return [...this.sessions.values()].reverse().find(s => s.name.toLowerCase() === wanted);
  }

  liveInstance(session: ZoomEmulatedSession): ZoomEmulatedInstance | null {
    const last = session.instances.at(-1);
    return last && last.endedAt === null ? last : null;
  }

  startInstance(session: ZoomEmulatedSession): ZoomEmulatedInstance {
    const instance: ZoomEmulatedInstance = {
      uuid: session.instances.length === 0 ? session.id : zoomUuid(),
      startedAt: Date.now(),
      endedAt: null,
      users: [],
      recording: null,
    };
    session.instances.push(instance);
    return instance;
  }

  newUser(name: string, userKey: string | null, roleType: 0 | 1): ZoomEmulatedUser {
    return {
      userId: String(16778240 + Math.floor(Math.random() * 1e6)),
      participantUuid: randomUUID().toUpperCase(),
      name,
      userKey,
      roleType,
      joinTime: Date.now(),
      leaveTime: null,
    };
  }

  issueDownloadToken(instanceUuid: string, ttlSeconds: number): string {
    const token = randomBytes(24).toString('base64url');
    this.downloadTokens.set(token, {instanceUuid, expiresAt: Date.now() + ttlSeconds * 1000});
    return token;
  }

  reset(): void {
    this.sessions.clear();
    this.storageLocations.clear();
    this.downloadTokens.clear();
    this.storage = {bringOurOwnStorage: false, storageLocationId: null};
  }
}

/** Zoom's session ids and UUIDs look like base64 of 16 bytes (`4444AAAiAAAAAiAiAiiAii==`): they may hold `/` and `+`. */
export function zoomUuid(): string {
  return randomBytes(16).toString('base64');
}
